import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzePolicy, type EndpointFacts, type Trust } from '../../functions/policy/analyze';
import { parsePolicy } from '../../functions/policy/parse';
import { viewPolicy } from '../../functions/policy/index';
import { shuffled } from '../fixtures/arbitraries';

const ORG = 'o-abcdef1234';
const principalArb = fc.constantFrom<unknown>(
  '*',
  { AWS: '*' },
  { AWS: '123456789012' },
  { AWS: 'arn:aws:iam::444455556666:role/x' },
  { AWS: ['111122223333', 'arn:aws:iam::123456789012:root'] },
  { Service: 'codebuild.amazonaws.com' },
);
const actionArb = fc.constantFrom(
  '*',
  'codecommit:*',
  'codecommit:GitPush',
  'codecommit:GitPull',
  'codecommit:Git*',
  'codecommit:GetRepository',
  'codecommit:List*',
  'codecommit:GitPushh',
  's3:GetObject',
);
const resourceArb = fc.constantFrom(
  '*',
  'arn:aws:codecommit:us-east-2:123456789012:*',
  'arn:aws:codecommit:us-east-2:*:*',
  'arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo',
  'arn:aws:codecommit:us-east-2:444455556666:repo',
);
const conditionArb = fc.constantFrom<unknown>(
  undefined,
  { StringEquals: { 'aws:PrincipalOrgID': ORG } },
  { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } },
  { StringNotEquals: { 'aws:ResourceOrgID': ORG } },
  { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
  { StringEquals: { 'aws:PrincipalAccount': ['123456789012', '111122223333'] } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
  { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } },
  { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
);

const statementArb = (effect?: 'Allow' | 'Deny') =>
  fc
    .record({
      Effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      Principal: principalArb,
      Action: fc.array(actionArb, { minLength: 1, maxLength: 3 }),
      Resource: fc.array(resourceArb, { minLength: 1, maxLength: 2 }),
      Condition: conditionArb,
    })
    .map((s) =>
      s.Condition === undefined
        ? { Effect: s.Effect, Principal: s.Principal, Action: s.Action, Resource: s.Resource }
        : s,
    );

const statementsArb = fc.array(statementArb(), { minLength: 1, maxLength: 4 });
const factsArb: fc.Arbitrary<EndpointFacts> = fc.record({
  accountId: fc.constantFrom('123456789012', '111122223333'),
  region: fc.constant('us-east-2'),
  partition: fc.constant('aws' as const),
  vpcId: fc.constant('vpc-1'),
  endpointId: fc.constantFrom('vpce-1', 'vpce-2'),
  traffic: fc.constantFrom('git' as const, 'api' as const),
});
const trustArb: fc.Arbitrary<Trust> = fc.record({
  trustedAccounts: fc.subarray(['111122223333', '444455556666']),
  trustedOrgIds: fc.subarray([ORG, 'o-zzzzzzzzzz']),
});

function holes(statements: unknown[], facts: EndpointFacts, trust: Trust) {
  const parsed = parsePolicy({ Version: '2012-10-17', Statement: statements });
  if (!parsed.ok) throw new Error(parsed.error);
  const a = analyzePolicy(parsed.policy, facts, trust);
  return {
    identity: a.identity.state,
    resource: a.resource.state,
    push: a.push !== undefined,
  };
}

describe('policy properties', () => {
  it('parsing never throws, on any JSON value or text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parsePolicy(value);
        parsePolicy(JSON.stringify(value));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        parsePolicy(text);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('Statement', 'Version', 'Effect'), fc.jsonValue()), (value) => {
        parsePolicy(value);
      }),
    );
  });

  it('adding a Deny statement never makes a policy more permissive', () => {
    fc.assert(
      fc.property(statementsArb, statementArb('Deny'), factsArb, trustArb, (statements, deny, facts, trust) => {
        const before = holes(statements, facts, trust);
        const after = holes([...statements, deny], facts, trust);
        if (before.identity === 'closed') expect(after.identity).toBe('closed');
        if (before.resource === 'closed') expect(after.resource).toBe('closed');
        if (!before.push) expect(after.push).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('reordering statements or actions never changes a verdict', () => {
    fc.assert(
      fc.property(statementsArb, factsArb, trustArb, fc.integer(), (statements, facts, trust, seed) => {
        const reordered = shuffled(statements, seed).map((s) => ({ ...s, Action: shuffled(s.Action, seed + 1) }));
        expect(holes(reordered, facts, trust)).toEqual(holes(statements, facts, trust));
      }),
      { numRuns: 300 },
    );
  });

  it('the default policy always fails the identity and resource perimeters', () => {
    fc.assert(
      fc.property(factsArb, trustArb, (facts, trust) => {
        const view = viewPolicy(undefined, facts, trust);
        expect(view.ok && view.analysis.identity.state === 'open' && view.analysis.resource.state === 'open').toBe(
          true,
        );
      }),
    );
  });
});
