import { describe, expect, it } from 'vitest';
import { only, run, scope } from '../fixtures/builders';
import { DP_DEFAULT } from '../fixtures/real-policies';
import { ALLOW_ALL, withPolicy } from './policy-helpers';

describe('CCE.7 resource perimeter', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.7', scope('us-east-2'))).toEqual([]);
  });

  it('fails the default policy with HIGH and says why both perimeters matter', () => {
    expect(only(run('CCE.7', withPolicy(undefined, { kind: 'codecommit' })), 'vpce-1')).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        "AWS's default full-access policy (no policy attached) lets requests (e.g. codecommit:PutFile) reach repositories outside account 123456789012. Both perimeters open: code can be copied out.",
    });
  });

  it('fails with MEDIUM when only the resource perimeter is open, with a proven resource-perimeter fix', () => {
    const policy = {
      Statement: {
        ...ALLOW_ALL,
        Sid: 'OrgOnly',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } },
      },
    };
    const f = only(run('CCE.7', withPolicy(policy)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'MEDIUM',
      message:
        'Statement "OrgOnly" lets requests (e.g. codecommit:GitPush) reach repositories outside account 123456789012 and organization o-abcdef1234.',
    });
    // A single statement object stays itself, now the first of a list.
    expect(JSON.parse(f.fix?.policyDocument ?? '{}')).toEqual({
      Statement: [
        policy.Statement,
        {
          Sid: 'EnforceResourcePerimeter',
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: {
            StringNotEqualsIfExists: { 'aws:ResourceOrgID': 'o-abcdef1234', 'aws:ResourceAccount': '123456789012' },
          },
        },
      ],
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
        'The policy of endpoint vpce-1 lets requests reach only repositories of account 123456789012 and organization o-abcdef1234.',
    });
  });

  it("fails AWS's data-perimeter default LOW, naming dp:exclude:resource and its prerequisite", () => {
    const f = only(run('CCE.7', withPolicy(DP_DEFAULT)), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(f.message).toBe(
      'Statement "AllowRequestsByOrgsIdentitiesToAnyResources" lets principals tagged dp:exclude:resource reach repositories outside account 123456789012 and organization o-a1b2c3d4e5: a documented exception, safe only if an SCP controls who may set the tag.',
    );
    expect(f.remediation).toMatch(/^Accept the exception by listing dp:exclude:resource in perimeterExceptionTags/);
  });

  it('passes the documented exception once perimeterExceptionTags accepts it, saying so', () => {
    const f = only(run('CCE.7', withPolicy(DP_DEFAULT), { perimeterExceptionTags: 'dp:exclude:resource' }), 'vpce-1');
    expect(f).toMatchObject({ status: 'PASSED' });
    expect(f.message).toContain(
      'except for its principals tagged dp:exclude:resource: an exception accepted by perimeterExceptionTags',
    );
  });

  it('does not accept a tagged exception that outsiders could use', () => {
    const policy = {
      Statement: [{ ...ALLOW_ALL, Condition: { StringEquals: { 'aws:PrincipalTag/dp:exclude:resource': 'true' } } }],
    };
    const f = only(run('CCE.7', withPolicy(policy), { perimeterExceptionTags: 'dp:exclude:resource' }), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });

  it('gives ERROR for an invalid policy, saying what to correct', () => {
    const f = only(
      run('CCE.7', withPolicy({ Statement: { Effect: 'Permit', Principal: '*', Action: '*', Resource: '*' } })),
      'vpce-1',
    );
    expect(f).toMatchObject({
      status: 'ERROR',
      message:
        'The policy of endpoint vpce-1 cannot be evaluated: policy statement 0: Effect must be "Allow" or "Deny", got "Permit".',
    });
    expect(f.remediation).toContain('Effect must be "Allow" or "Deny", in that letter case.');
  });
});
