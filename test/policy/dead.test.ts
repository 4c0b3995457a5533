import { describe, expect, it } from 'vitest';
import { closestAction, deadStatements } from '../../functions/policy/dead';
import { parsePolicy } from '../../functions/policy/parse';
import { ALLOW_ALL, API, GIT, policy } from './helpers';
import type { EndpointFacts } from '../../functions/policy/analyze';

function dead(document: string, facts: EndpointFacts = GIT) {
  const parsed = parsePolicy(document);
  if (!parsed.ok) throw new Error(parsed.error);
  return deadStatements(parsed.policy, facts).map((d) => ({
    index: d.statement.index,
    whole: d.whole,
    // Why the whole statement is dead, or else its misspelt actions one by one.
    reasons: d.whole
      ? d.reasons.map((r) => r.text)
      : d.typos.map((t) => `${t.pattern} names no real CodeCommit action`),
  }));
}

const SEED = JSON.stringify({
  Statement: [
    { Action: '*', Effect: 'Allow', Resource: '*', Principal: '*' },
    {
      Action: 'codecommit:GitPush',
      Effect: 'Deny',
      Resource: 'arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo',
      Principal: '*',
    },
  ],
});

describe('deadStatements', () => {
  it("explains both reasons the seed's Deny never applies on the us-east-2 API endpoint", () => {
    expect(dead(SEED, API)).toEqual([
      {
        index: 1,
        whole: true,
        reasons: [
          'codecommit:GitPush is a Git action, which never goes through this API endpoint',
          'arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo names region us-west-2, not us-east-2',
        ],
      },
    ]);
  });

  it("still finds the region mistake when the seed's Deny sits on a Git endpoint", () => {
    expect(dead(SEED, GIT)).toEqual([
      {
        index: 1,
        whole: true,
        reasons: ['arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo names region us-west-2, not us-east-2'],
      },
    ]);
  });

  it.each([
    [
      { ...ALLOW_ALL, Action: 'codecommit:GitPushh' },
      GIT,
      ['codecommit:GitPushh names no real CodeCommit action'],
      true,
    ],
    [
      { ...ALLOW_ALL, Action: ['codecommit:GitPull', 'codecommit:GitPulll'] },
      GIT,
      ['codecommit:GitPulll names no real CodeCommit action'],
      false,
    ],
    [{ ...ALLOW_ALL, Action: 's3:GetObject' }, GIT, ['s3:GetObject is not a CodeCommit action'], true],
    [
      { ...ALLOW_ALL, Action: 'codecommit:CreateRepository' },
      GIT,
      ['codecommit:CreateRepository names only API actions, which never go through this Git endpoint'],
      true,
    ],
    [
      { ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-east-2' },
      GIT,
      ['arn:aws:codecommit:us-east-2 is a malformed ARN'],
      true,
    ],
    [
      { ...ALLOW_ALL, Resource: 'arn:aws-cn:codecommit:us-east-2:123456789012:r' },
      GIT,
      ['arn:aws-cn:codecommit:us-east-2:123456789012:r names partition aws-cn, not aws'],
      true,
    ],
    [
      { ...ALLOW_ALL, Resource: 'arn:aws:s3:::bucket/*' },
      GIT,
      ['arn:aws:s3:::bucket/* names service s3, not codecommit'],
      true,
    ],
    [{ ...ALLOW_ALL, Resource: 'MyDemoRepo' }, GIT, ['MyDemoRepo is not an ARN'], true],
    [
      { ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-east-2:12345:repo' },
      GIT,
      ['arn:aws:codecommit:us-east-2:12345:repo has a malformed account id'],
      true,
    ],
    [
      { Effect: 'Allow', Principal: '*', Action: '*', NotResource: '*' },
      GIT,
      ['its NotResource "*" excludes every resource'],
      true,
    ],
    [
      { Effect: 'Allow', Principal: '*', NotAction: 'codecommit:Git*', Resource: '*' },
      GIT,
      ['its NotAction excludes every action of this Git endpoint'],
      true,
    ],
    [
      { ...ALLOW_ALL, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-other' } } },
      GIT,
      ['its StringEquals condition on aws:SourceVpce never holds on vpce-1'],
      true,
    ],
  ])('flags %j', (statement, facts, reasons, whole) => {
    expect(dead(policy(statement), facts)).toEqual([{ index: 0, whole, reasons }]);
  });

  it.each([
    [ALLOW_ALL],
    [{ ...ALLOW_ALL, Action: 'codecommit:*' }],
    [{ ...ALLOW_ALL, Resource: 'arn:aws:codecommit:*:123456789012:*' }],
    [
      {
        ...ALLOW_ALL,
        Resource: ['arn:aws:codecommit:us-west-2:123456789012:a', 'arn:aws:codecommit:us-east-2:123456789012:b'],
      },
    ],
    [{ ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-east-2:*' }],
    [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }],
  ])('accepts %j', (statement) => {
    expect(dead(policy(statement))).toEqual([]);
  });

  it('suggests the action a typo meant', () => {
    expect(closestAction('codecommit:GitPushh')).toBe('codecommit:GitPush');
    expect(closestAction('codecommit:getrepositry')).toBe('codecommit:GetRepository');
    expect(closestAction('ec2:DescribeVpcs')).toBeUndefined();
  });

  it('gives each reason a kind, so callers never read its text', () => {
    const parsed = parsePolicy(SEED);
    if (!parsed.ok) throw new Error(parsed.error);
    const [deny] = deadStatements(parsed.policy, API);
    expect(deny?.reasons.map((r) => r.kind)).toEqual(['other-endpoint-kind', 'resource']);
  });
});
