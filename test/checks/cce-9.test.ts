import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

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

function inventory(kind: string, policy?: string) {
  return scope('us-east-2', {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [
      endpoint('vpce-1', 'vpc-1', svc('us-east-2', kind), policy === undefined ? {} : { PolicyDocument: policy }),
    ],
  });
}

describe('CCE.9 statements that never apply', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.9', scope('us-east-2'))).toEqual([]);
  });

  it("fails the seed's policy on the us-east-2 API endpoint with MEDIUM, naming both reasons", () => {
    const f = only(run('CCE.9', inventory('codecommit', SEED)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'MEDIUM',
      message:
        'Statement 1 (Deny) never applies: codecommit:GitPush is a Git action, which never goes through this API endpoint; arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo names region us-west-2, not us-east-2.',
    });
    expect(f.remediation).toContain(
      'Correct the policy of vpce-1: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1',
    );
    expect(f.remediation).toContain(
      'Put [{"Action":"codecommit:GitPush","Effect":"Deny","Resource":["arn:aws:codecommit:us-east-2:123456789012:MyDemoRepo"],"Principal":"*"}] on the com.amazonaws.us-east-2.git-codecommit endpoint(s) of VPC vpc-1 instead',
    );
  });

  it('fails a typo in an Allow with LOW and suggests the real action', () => {
    const policy = JSON.stringify({
      Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: ['codecommit:GitPulll'], Resource: '*' }],
    });
    const f = only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'LOW',
      message: 'Statement "Pull" (Allow) never applies: codecommit:GitPulll names no real CodeCommit action.',
    });
    expect(f.remediation).toContain('"Action":"codecommit:GitPull"');
  });

  it('counts further statements', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'codecommit:GitPushh', Resource: '*' },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1').message).toBe(
      'Statement 0 (Allow) never applies: codecommit:GitPushh names no real CodeCommit action (and 1 more statement).',
    );
  });

  it('reports a statement with only some dead actions', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: ['codecommit:GitPush', 'codecommit:GitPul'], Resource: '*' },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1')).toMatchObject({
      severity: 'MEDIUM',
      message: 'Statement 0 (Deny) has parts that never apply: codecommit:GitPul names no real CodeCommit action.',
    });
  });

  it('passes a sound policy and the default policy', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'codecommit:Git*',
          Resource: 'arn:aws:codecommit:us-east-2:123456789012:*',
        },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: 'Every statement of the policy of endpoint vpce-1 can apply.',
    });
    expect(only(run('CCE.9', inventory('git-codecommit')), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: "Endpoint vpce-1 has no policy of its own (AWS's default applies).",
    });
  });

  it('gives ERROR for an invalid policy', () => {
    expect(only(run('CCE.9', inventory('git-codecommit', '[1,2]')), 'vpce-1')).toMatchObject({
      status: 'ERROR',
      message: 'The policy of endpoint vpce-1 cannot be evaluated: policy is not a JSON object.',
    });
  });
});
