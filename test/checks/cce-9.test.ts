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
    // The fix removes the dead statement and rewrites nothing else.
    expect(f.fix?.policyDocument).toBe(
      '{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*","Principal":"*"}]}',
    );
    expect(f.remediation).toContain(
      'If Statement 1 should apply, put it on the com.amazonaws.us-east-2.git-codecommit endpoint(s) of VPC vpc-1',
    );
  });

  it('fails a typo in an Allow with LOW and names the action it likely meant, without adding it', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Sid: 'Pull',
          Effect: 'Allow',
          Principal: '*',
          Action: ['codecommit:GitPull', 'codecommit:GitPulll'],
          Resource: '*',
        },
      ],
    });
    const f = only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'LOW',
      message: 'Statement "Pull" (Allow): codecommit:GitPulll names no real CodeCommit action.',
    });
    expect(f.remediation).toContain('the misspelt codecommit:GitPulll (did you mean codecommit:GitPull?)');
    expect(JSON.parse(f.fix?.policyDocument ?? '{}')).toEqual({
      Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: 'codecommit:GitPull', Resource: '*' }],
    });
  });

  it('gives MEDIUM for a misspelt action in a Deny (a control that does nothing)', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: ['codecommit:PutFile', 'codecommit:DeleteRepositoy'], Resource: '*' },
      ],
    });
    expect(only(run('CCE.9', inventory('codecommit', policy)), 'vpce-1')).toMatchObject({
      severity: 'MEDIUM',
      message: 'Statement 1 (Deny): codecommit:DeleteRepositoy names no real CodeCommit action.',
    });
  });

  it('counts further statements, a dead Deny first', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'codecommit:GitPushh', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1')).toMatchObject({
      severity: 'MEDIUM',
      message: 'Statement 1 (Deny) never applies: s3:GetObject is not a CodeCommit action (and 1 more statement).',
    });
  });

  it('does not report statements that mix Git and API actions', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: ['codecommit:GitPull', 'codecommit:GetRepository'], Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: ['codecommit:GitPush', 'codecommit:PutFile'], Resource: '*' },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1').status).toBe('PASSED');
    expect(only(run('CCE.9', inventory('codecommit', policy)), 'vpce-1').status).toBe('PASSED');
  });

  it('reports a condition that never holds here, and aws:SourceIp, absent through an endpoint', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-9' } },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
        },
      ],
    });
    expect(only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1').message).toBe(
      'Statement 1 (Deny) never applies: its IpAddress condition on aws:SourceIp never holds through an endpoint (requests through one carry no aws:SourceIp) (and 1 more statement).',
    );
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
      message: 'Every statement of the policy of endpoint vpce-1 can apply on it.',
    });
    expect(only(run('CCE.9', inventory('git-codecommit')), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: "Endpoint vpce-1 has no policy of its own (AWS's default applies).",
    });
  });

  it('says what to do in words when removing what never applies would leave no statement', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
    const f = only(run('CCE.9', inventory('git-codecommit', policy)), 'vpce-1');
    expect(f.fix).toBeUndefined();
    expect(f.remediation).toMatch(/^No statement of this policy ever applies here: replace it/);
  });

  it('gives ERROR for an invalid policy', () => {
    expect(only(run('CCE.9', inventory('git-codecommit', '[1,2]')), 'vpce-1')).toMatchObject({
      status: 'ERROR',
      message: 'The policy of endpoint vpce-1 cannot be evaluated: policy is not a JSON object.',
    });
  });
});
