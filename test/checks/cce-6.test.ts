import { describe, expect, it } from 'vitest';
import { only, run, scope } from '../fixtures/builders';
import { ALLOW_ALL, withPolicy } from './policy-helpers';

const OWN_REPOS = 'arn:aws:codecommit:us-east-2:123456789012:*';

describe('CCE.6 identity perimeter', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.6', scope('us-east-2'))).toEqual([]);
  });

  it('fails a missing policy (AWS default) with HIGH: reads and writes cross both perimeters', () => {
    const f = only(run('CCE.6', withPolicy(undefined)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        "AWS's default full-access policy (no policy attached) lets principals outside account 123456789012 use this endpoint (e.g. codecommit:GitPush). Both perimeters open: code can be copied out.",
    });
  });

  it('fails with MEDIUM when only the identity perimeter is open, naming the statement, with a proven fix', () => {
    const policy = { Statement: [{ ...ALLOW_ALL, Sid: 'OwnRepos', Resource: OWN_REPOS }] };
    const f = only(run('CCE.6', withPolicy(policy)), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(f.message).toMatch(/^Statement "OwnRepos" lets principals outside account 123456789012 use this endpoint/);
    const fixed = JSON.parse(f.fix?.policyDocument ?? '{}') as { Statement: Record<string, unknown>[] };
    expect(fixed.Statement[0]).toEqual(policy.Statement[0]);
    expect(fixed.Statement[1]).toEqual({
      Sid: 'EnforceIdentityPerimeter',
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:PrincipalAccount': '123456789012' },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    });
    expect(f.remediation).toContain(
      `aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --policy-document '${f.fix?.policyDocument}'`,
    );
  });

  it('gives LOW when only List-level actions get through', () => {
    const policy = { Statement: [{ ...ALLOW_ALL, Action: 'codecommit:ListRepositories', Resource: OWN_REPOS }] };
    const f = only(run('CCE.6', withPolicy(policy, { kind: 'codecommit' })), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(f.message).toContain('(List-level actions only, e.g. codecommit:ListRepositories)');
  });

  it("names the Deny's exception through which outsiders escape", () => {
    const policy = {
      Statement: [
        ALLOW_ALL,
        {
          Sid: 'EnforceIdentityPerimeter',
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: {
            StringNotEqualsIfExists: {
              'aws:PrincipalOrgID': 'o-abcdef1234',
              'aws:PrincipalTag/dp:exclude:identity': 'true',
            },
          },
        },
      ],
    };
    const f = only(run('CCE.6', withPolicy(policy)), 'vpce-1');
    expect(f.status).toBe('FAILED');
    expect(f.message).toBe(
      'Statement 0 lets principals outside account 123456789012 and organization o-abcdef1234 use this endpoint (e.g. codecommit:GitPush); Deny "EnforceIdentityPerimeter" exempts principals tagged dp:exclude:identity. Both perimeters open: code can be copied out.',
    );
  });

  it('passes an organization perimeter and names the trusted set', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } } }],
    };
    const f = only(
      run('CCE.6', withPolicy(policy), { trustedAccounts: '111122223333', trustedOrgIds: 'o-abcdef1234' }),
      'vpce-1',
    );
    expect(f).toMatchObject({
      status: 'PASSED',
      message:
        'The policy of endpoint vpce-1 admits only principals of accounts 123456789012, 111122223333 and organization o-abcdef1234.',
      remediation: 'No action needed.',
    });
    expect(f.fix).toBeUndefined();
  });

  it('fails an organization perimeter outside trustedOrgIds', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } } }],
    };
    expect(only(run('CCE.6', withPolicy(policy), { trustedOrgIds: 'o-zzzzzzzzzz' }), 'vpce-1').status).toBe('FAILED');
  });

  it('says an endpoint whose policy allows nothing is unusable', () => {
    const policy = { Statement: [{ ...ALLOW_ALL, Effect: 'Deny' }] };
    expect(only(run('CCE.6', withPolicy(policy)), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message:
        'The endpoint vpce-1 is unusable: its policy allows no CodeCommit Git request, so nobody gets through it.',
    });
  });

  it('gives ERROR with the parse message and what to correct for an invalid policy', () => {
    const json = only(run('CCE.6', withPolicy('{"Statement": [')), 'vpce-1');
    expect(json.status).toBe('ERROR');
    expect(json.message).toMatch(/^The policy of endpoint vpce-1 cannot be evaluated: policy is not valid JSON: /);
    const bare = only(
      run('CCE.6', withPolicy({ Statement: [{ ...ALLOW_ALL, Principal: 'arn:aws:iam::123456789012:root' }] })),
      'vpce-1',
    );
    expect(bare).toMatchObject({ status: 'ERROR' });
    expect(bare.remediation).toContain(
      'Write Principal as "*" or as an object such as {"AWS": "arn:aws:iam::111122223333:root"}',
    );
    expect(bare.remediation).not.toContain('No action needed');
  });

  it('judges in GovCloud and China partitions', () => {
    const gov = { Statement: [{ ...ALLOW_ALL, Principal: { AWS: 'arn:aws-us-gov:iam::123456789012:root' } }] };
    expect(only(run('CCE.6', withPolicy(gov, { region: 'us-gov-west-1' })), 'vpce-1').status).toBe('PASSED');
    const f = only(run('CCE.6', withPolicy(undefined, { region: 'cn-north-1' })), 'vpce-1');
    expect(f.status).toBe('FAILED');
    expect(f.resourceArn).toBe('arn:aws-cn:ec2:cn-north-1:123456789012:vpc-endpoint/vpce-1');
  });
});
