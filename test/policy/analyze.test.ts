import { describe, expect, it } from 'vitest';
import { ALLOW_ALL, API, GIT, NO_TRUST, policy, verdicts } from './helpers';

const ORG = 'o-abcdef1234';
const OPEN = { identityOpen: true, resourceOpen: true, pushOpen: true };

describe('analyzePolicy: what a policy as a whole allows (git endpoint, account 123456789012)', () => {
  it.each([
    ['no policy (AWS default)', undefined, OPEN],
    ['the default written out, single statement object', JSON.stringify({ Statement: ALLOW_ALL }), OPEN],
    ['a policy object rather than a string', { Statement: [ALLOW_ALL] }, OPEN],
    [
      'account principal as 12 digits',
      policy({ ...ALLOW_ALL, Principal: { AWS: '123456789012' } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'account principal as root ARN',
      policy({ ...ALLOW_ALL, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'role ARN principal in an array',
      policy({ ...ALLOW_ALL, Principal: { AWS: ['arn:aws:iam::123456789012:role/ci'] } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    ['role of another account', policy({ ...ALLOW_ALL, Principal: { AWS: 'arn:aws:iam::444455556666:role/x' } }), OPEN],
    ['Principal {"AWS": "*"}', policy({ ...ALLOW_ALL, Principal: { AWS: '*' } }), OPEN],
    [
      'service principal only',
      policy({ ...ALLOW_ALL, Principal: { Service: 'codebuild.amazonaws.com' } }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'NotPrincipal of the own account',
      policy({ Effect: 'Allow', NotPrincipal: { AWS: '123456789012' }, Action: '*', Resource: '*' }),
      OPEN,
    ],
    [
      'Allow with aws:PrincipalOrgID',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'condition key in another letter case',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'AWS:PrincipalOrgId': ORG } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'negated operator on aws:PrincipalOrgID in an Allow restricts nothing',
      policy({ ...ALLOW_ALL, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } } }),
      OPEN,
    ],
    [
      "AWS's data-perimeter pattern: Allow * plus Deny StringNotEqualsIfExists aws:PrincipalOrgID",
      policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'identity and resource Deny perimeters',
      policy(
        ALLOW_ALL,
        {
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': ORG } },
        },
      ),
      { identityOpen: false, resourceOpen: false, pushOpen: true },
    ],
    [
      'Resource of the own account',
      policy({ ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-east-2:123456789012:*' }),
      { identityOpen: true, resourceOpen: false, pushOpen: true },
    ],
    ['Resource with an account wildcard', policy({ ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-east-2:*:*' }), OPEN],
    [
      'aws:ResourceAccount condition',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } }),
      { identityOpen: true, resourceOpen: false, pushOpen: true },
    ],
    [
      'an Allow on aws:SourceIp never applies: requests through an endpoint carry no aws:SourceIp',
      policy({ ...ALLOW_ALL, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'a Deny with NotIpAddress on aws:SourceIp always applies through an endpoint',
      policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      "aws:VpcSourceIp (the caller's private address, unknown to the tool) is no perimeter",
      policy({ ...ALLOW_ALL, Condition: { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } } }),
      OPEN,
    ],
    [
      'aws:SourceVpce naming this endpoint holds',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
      OPEN,
    ],
    [
      'aws:SourceVpce naming another endpoint never holds',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-2' } } }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'ForAnyValue:StringLike on aws:PrincipalOrgPaths',
      policy({ ...ALLOW_ALL, Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'ForAllValues:StringLike on aws:PrincipalOrgPaths is satisfied by a principal with no organization',
      policy({ ...ALLOW_ALL, Condition: { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } } }),
      OPEN,
    ],
    [
      'aws:PrincipalAccount condition',
      policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'ArnLike aws:PrincipalArn of the own account',
      policy({ ...ALLOW_ALL, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/*' } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
    [
      'ArnLike aws:PrincipalArn with an account wildcard',
      policy({ ...ALLOW_ALL, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci' } } }),
      OPEN,
    ],
    [
      'Bool aws:PrincipalIsAWSService true',
      policy({ ...ALLOW_ALL, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'a Deny on Null aws:PrincipalOrgID leaves principals of other organizations in',
      policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { Null: { 'aws:PrincipalOrgID': 'true' } },
      }),
      OPEN,
    ],
    ['lower-case action wildcard', policy({ ...ALLOW_ALL, Action: 'codecommit:git*' }), OPEN],
    [
      'pull only',
      policy({ ...ALLOW_ALL, Action: 'codecommit:GitPull' }),
      { identityOpen: true, resourceOpen: true, pushOpen: false },
    ],
    [
      'NotAction GitPush',
      policy({ Effect: 'Allow', Principal: '*', NotAction: 'codecommit:GitPush', Resource: '*' }),
      { identityOpen: true, resourceOpen: true, pushOpen: false },
    ],
    [
      'Deny GitPush on a us-west-2 ARN does not stop pushes in us-east-2',
      policy(ALLOW_ALL, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'codecommit:GitPush',
        Resource: 'arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo',
      }),
      OPEN,
    ],
    [
      'Deny GitPush everywhere',
      policy(ALLOW_ALL, { Effect: 'Deny', Principal: '*', Action: 'codecommit:GitPush', Resource: '*' }),
      { identityOpen: true, resourceOpen: true, pushOpen: false },
    ],
    [
      'API-only actions on a Git endpoint allow nothing',
      policy({ ...ALLOW_ALL, Action: 'codecommit:Get*' }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'actions of another service allow nothing',
      policy({ ...ALLOW_ALL, Action: 's3:*' }),
      { identityOpen: false, resourceOpen: false, pushOpen: false },
    ],
    [
      'StringEqualsIgnoreCase on the organization',
      policy({ ...ALLOW_ALL, Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalOrgID': ORG.toUpperCase() } } }),
      { identityOpen: false, resourceOpen: true, pushOpen: true },
    ],
  ])('%s', (_name, document, expected) => {
    expect(verdicts(document)).toEqual(expected);
  });

  it('honours trustedAccounts', () => {
    const doc = policy({
      ...ALLOW_ALL,
      Principal: { AWS: '444455556666' },
      Resource: 'arn:aws:codecommit:us-east-2:444455556666:*',
    });
    expect(verdicts(doc)).toEqual({ identityOpen: true, resourceOpen: true, pushOpen: true });
    expect(verdicts(doc, GIT, { trustedAccounts: ['444455556666'], trustedOrgIds: [] })).toEqual({
      identityOpen: false,
      resourceOpen: false,
      pushOpen: true,
    });
  });

  it('takes any organization in a perimeter as trusted when trustedOrgIds is empty, and only listed ones otherwise', () => {
    const doc = policy({ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } });
    expect(verdicts(doc, GIT, NO_TRUST).identityOpen).toBe(false);
    expect(verdicts(doc, GIT, { trustedAccounts: [], trustedOrgIds: [ORG] }).identityOpen).toBe(false);
    expect(verdicts(doc, GIT, { trustedAccounts: [], trustedOrgIds: ['o-zzzzzzzzzz'] }).identityOpen).toBe(true);
  });

  it('judges API endpoints on API actions', () => {
    expect(verdicts(policy({ ...ALLOW_ALL, Action: 'codecommit:GitPush' }), API)).toEqual({
      identityOpen: false,
      resourceOpen: false,
      pushOpen: false,
    });
    expect(verdicts(policy({ ...ALLOW_ALL, Action: 'codecommit:ListRepositories' }), API)).toEqual({
      identityOpen: true,
      resourceOpen: true,
      pushOpen: false,
    });
  });

  it('uses the endpoint partition for repository ARNs', () => {
    const gov = { ...GIT, region: 'us-gov-west-1', partition: 'aws-us-gov' as const };
    expect(
      verdicts(policy({ ...ALLOW_ALL, Resource: 'arn:aws-us-gov:codecommit:us-gov-west-1:123456789012:*' }), gov)
        .resourceOpen,
    ).toBe(false);
    expect(
      verdicts(policy({ ...ALLOW_ALL, Resource: 'arn:aws:codecommit:us-gov-west-1:123456789012:*' }), gov),
    ).toEqual({ identityOpen: false, resourceOpen: false, pushOpen: false });
  });
});
