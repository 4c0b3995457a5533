import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

const ALLOW_ALL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };

function withPolicy(policy: unknown, region = 'us-east-2', kind = 'git-codecommit') {
  return scope(region, {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [
      endpoint(
        'vpce-1',
        'vpc-1',
        svc(region, kind),
        policy === undefined ? {} : { PolicyDocument: typeof policy === 'string' ? policy : JSON.stringify(policy) },
      ),
    ],
  });
}

describe('CCE.6 identity perimeter', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.6', scope('us-east-2'))).toEqual([]);
  });

  it('fails a missing policy (AWS default) with HIGH, as CCE.7 fails too', () => {
    expect(only(run('CCE.6', withPolicy(undefined)), 'vpce-1')).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        "AWS's default full-access policy (no policy attached) lets principals outside account 123456789012 make CodeCommit requests (e.g. codecommit:GitPush) through this endpoint.",
    });
  });

  it('fails with MEDIUM when only the identity perimeter is open, naming the statement', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Sid: 'OwnRepos', Resource: 'arn:aws:codecommit:us-east-2:123456789012:*' }],
    };
    const f = only(run('CCE.6', withPolicy(policy)), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(f.message).toMatch(/^Statement "OwnRepos" lets principals outside account 123456789012/);
    expect(f.remediation).toContain(
      'aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --policy-document ',
    );
    expect(f.remediation).toContain('"aws:PrincipalAccount":["123456789012"]');
  });

  it('passes an organization perimeter and names the trusted set', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } } }],
    };
    expect(
      only(
        run('CCE.6', withPolicy(policy), { trustedAccounts: '111122223333', trustedOrgIds: 'o-abcdef1234' }),
        'vpce-1',
      ),
    ).toMatchObject({
      status: 'PASSED',
      message:
        'The policy of endpoint vpce-1 admits only principals of accounts 123456789012, 111122223333 and organization o-abcdef1234 or of the organizations its perimeter names.',
    });
  });

  it('fails an organization perimeter outside trustedOrgIds', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } } }],
    };
    expect(only(run('CCE.6', withPolicy(policy), { trustedOrgIds: 'o-zzzzzzzzzz' }), 'vpce-1').status).toBe('FAILED');
  });

  it('gives ERROR with the parse message for an invalid policy', () => {
    expect(only(run('CCE.6', withPolicy('{"Statement": [')), 'vpce-1')).toMatchObject({ status: 'ERROR' });
    expect(only(run('CCE.6', withPolicy('{"Statement": [')), 'vpce-1').message).toMatch(
      /^The policy of endpoint vpce-1 cannot be evaluated: policy is not valid JSON: /,
    );
    expect(only(run('CCE.6', withPolicy({ Version: '2012-10-17' })), 'vpce-1').message).toBe(
      'The policy of endpoint vpce-1 cannot be evaluated: policy has no Statement.',
    );
  });

  it('judges in GovCloud and China partitions', () => {
    const gov = { Statement: [{ ...ALLOW_ALL, Principal: { AWS: 'arn:aws-us-gov:iam::123456789012:root' } }] };
    expect(only(run('CCE.6', withPolicy(gov, 'us-gov-west-1')), 'vpce-1').status).toBe('PASSED');
    const cn = withPolicy(undefined, 'cn-north-1');
    const f = only(run('CCE.6', cn), 'vpce-1');
    expect(f.status).toBe('FAILED');
    expect(f.resourceArn).toBe('arn:aws-cn:ec2:cn-north-1:123456789012:vpc-endpoint/vpce-1');
    expect(f.remediation).toContain('arn:aws-cn:codecommit:cn-north-1:123456789012:*');
  });
});
