import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

const ALLOW_ALL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };

function withPolicy(policy: unknown, kind = 'codecommit') {
  return scope('us-east-2', {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [
      endpoint(
        'vpce-1',
        'vpc-1',
        svc('us-east-2', kind),
        policy === undefined ? {} : { PolicyDocument: JSON.stringify(policy) },
      ),
    ],
  });
}

describe('CCE.7 resource perimeter', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.7', scope('us-east-2'))).toEqual([]);
  });

  it('fails the default policy with HIGH and says why both perimeters matter', () => {
    expect(only(run('CCE.7', withPolicy(undefined)), 'vpce-1')).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        "AWS's default full-access policy (no policy attached) lets requests (e.g. codecommit:CreateRepository) reach repositories outside account 123456789012. Both perimeters are open: outside credentials can copy your code out.",
    });
  });

  it('fails with MEDIUM when only the resource perimeter is open', () => {
    const policy = {
      Statement: {
        ...ALLOW_ALL,
        Sid: 'OrgOnly',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } },
      },
    };
    expect(only(run('CCE.7', withPolicy(policy)), 'vpce-1')).toMatchObject({
      status: 'FAILED',
      severity: 'MEDIUM',
      message:
        'Statement "OrgOnly" lets requests (e.g. codecommit:CreateRepository) reach repositories outside account 123456789012.',
    });
  });

  it('passes Resource ARNs of trusted accounts only', () => {
    const policy = {
      Statement: {
        ...ALLOW_ALL,
        Resource: ['arn:aws:codecommit:us-east-2:123456789012:*', 'arn:aws:codecommit:us-east-2:111122223333:*'],
      },
    };
    expect(only(run('CCE.7', withPolicy(policy), { trustedAccounts: '111122223333' }), 'vpce-1').status).toBe('PASSED');
    expect(only(run('CCE.7', withPolicy(policy)), 'vpce-1').status).toBe('FAILED');
  });

  it('passes a Deny with StringNotEqualsIfExists aws:ResourceOrgID', () => {
    const policy = {
      Statement: [
        ALLOW_ALL,
        {
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': 'o-abcdef1234' } },
        },
      ],
    };
    expect(only(run('CCE.7', withPolicy(policy)), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message:
        'The policy of endpoint vpce-1 lets requests reach only repositories of account 123456789012 or of the organizations its perimeter names.',
    });
  });

  it('gives ERROR for an invalid policy', () => {
    expect(
      only(
        run('CCE.7', withPolicy({ Statement: { Effect: 'Permit', Principal: '*', Action: '*', Resource: '*' } })),
        'vpce-1',
      ),
    ).toMatchObject({
      status: 'ERROR',
      message:
        'The policy of endpoint vpce-1 cannot be evaluated: policy statement 0: Effect must be "Allow" or "Deny", got "Permit".',
    });
  });
});
