import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

const FIPS = { 'codecommit-audit:fips': 'required' };
const DENY_PUSH = JSON.stringify({
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
    { Sid: 'NoPush', Effect: 'Deny', Principal: '*', Action: 'codecommit:GitPush', Resource: '*' },
  ],
});

function inventory(region: string, kind: string, tags: Record<string, string> = FIPS, policy?: string) {
  return scope(region, {
    vpcs: [vpc('vpc-1', { tags })],
    vpcEndpoints: [
      endpoint('vpce-1', 'vpc-1', svc(region, kind), policy === undefined ? {} : { PolicyDocument: policy }),
    ],
  });
}

describe('CCE.8 pushes through a non-FIPS Git endpoint', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.8', scope('us-east-2'))).toEqual([]);
  });

  it('fails the default policy on a FIPS-bound VPC', () => {
    expect(only(run('CCE.8', inventory('us-east-2', 'git-codecommit')), 'vpce-1')).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        "FIPS is required for VPC vpc-1 (the VPC carries the tag codecommit-audit:fips=required) but AWS's default full-access policy (no policy attached) allows codecommit:GitPush through this non-FIPS endpoint.",
    });
  });

  it('passes when the policy denies pushes', () => {
    const f = only(run('CCE.8', inventory('us-east-2', 'git-codecommit', FIPS, DENY_PUSH)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'PASSED',
      message: 'The policy of endpoint vpce-1 allows no codecommit:GitPush, so pushes go through the FIPS endpoint.',
    });
  });

  it('names the remediation: deny pushes, keep every other statement, use the FIPS endpoint', () => {
    const f = only(run('CCE.8', inventory('us-west-2', 'git-codecommit')), 'vpce-1');
    expect(f.remediation).toContain('push through com.amazonaws.us-west-2.git-codecommit-fips instead');
    expect(JSON.parse(f.fix?.policyDocument ?? '{}')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Sid: 'DenyPushOutsideFips', Effect: 'Deny', Principal: '*', Action: 'codecommit:GitPush', Resource: '*' },
      ],
    });
  });

  it('never offers a fix that opens a perimeter: the fix of a perimeter policy keeps its perimeters', () => {
    const perimeter = JSON.stringify({
      Statement: [
        {
          Sid: 'OrgToOrg',
          Effect: 'Allow',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234', 'aws:ResourceOrgID': 'o-abcdef1234' } },
        },
      ],
    });
    const inv = inventory('us-east-2', 'git-codecommit', FIPS, perimeter);
    const f = only(run('CCE.8', inv), 'vpce-1');
    expect(f.status).toBe('FAILED');
    const fixed = inventory('us-east-2', 'git-codecommit', FIPS, f.fix?.policyDocument);
    expect(only(run('CCE.8', fixed), 'vpce-1').status).toBe('PASSED');
    expect(only(run('CCE.6', fixed), 'vpce-1').status).toBe('PASSED');
    expect(only(run('CCE.7', fixed), 'vpce-1').status).toBe('PASSED');
  });

  it.each([
    [
      'a FIPS Git endpoint',
      inventory('us-east-2', 'git-codecommit-fips'),
      'Endpoint vpce-1 is not a non-FIPS Git endpoint (git-codecommit-fips).',
    ],
    [
      'an API endpoint',
      inventory('us-east-2', 'codecommit'),
      'Endpoint vpce-1 is not a non-FIPS Git endpoint (codecommit).',
    ],
    ['a VPC without the FIPS tag', inventory('us-east-2', 'git-codecommit', {}), 'FIPS is not required for VPC vpc-1.'],
    [
      'a region without a FIPS Git endpoint',
      inventory('eu-west-1', 'git-codecommit'),
      'Region eu-west-1 offers no FIPS Git endpoint.',
    ],
  ])('is not applicable for %s', (_name, inv, message) => {
    expect(only(run('CCE.8', inv), 'vpce-1')).toMatchObject({ status: 'NOT_APPLICABLE', message });
  });

  it('is not applicable when fipsPushOnly is false', () => {
    expect(
      only(run('CCE.8', inventory('us-east-2', 'git-codecommit'), { fipsPushOnly: 'false' }), 'vpce-1'),
    ).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'Pushes through non-FIPS Git endpoints are not restricted (fipsPushOnly is false).',
    });
  });

  it('applies in GovCloud (us-gov-east-1 has a FIPS Git endpoint) under fipsRequired=always', () => {
    expect(
      only(run('CCE.8', inventory('us-gov-east-1', 'git-codecommit', {}), { fipsRequired: 'always' }), 'vpce-1').status,
    ).toBe('FAILED');
  });

  it('gives ERROR for an invalid policy', () => {
    expect(only(run('CCE.8', inventory('us-east-2', 'git-codecommit', FIPS, 'nope')), 'vpce-1').status).toBe('ERROR');
  });
});
