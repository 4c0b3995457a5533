/**
 * The traffic function on EventBridge events shaped as AWS delivers them (events/traffic/). Expected,
 * as written before the first run: a push from a public address makes its caller's CCE.14 finding
 * FAILED HIGH in the member account's Security Hub with one NEW alert, and a second push within the
 * hour costs no call; a pull through an endpoint and an AWS service's call change nothing and call
 * nothing; counts add to what the finding already recorded; a malformed event is a clear error.
 */
import { readFileSync } from 'node:fs';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemberCredentials } from '../../functions/aws/assume';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { runInvoke } from '../../functions/cli/invoke';
import { parseParams } from '../../functions/core/params';
import { ACTIVITY_FIELD } from '../../functions/core/traffic';
import { createTrafficHandler } from '../../functions/handlers/traffic';
import { fakeSecurityHub, type FakeSecurityHub } from '../fixtures/fake-securityhub';
import { acceptingTopic } from '../fixtures/fake-sns';

const TOPIC = 'arn:aws:sns:us-east-2:999999999999:codecommit-endpoint-auditor-alerts';
const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`events/traffic/${name}.json`, 'utf8')) as Record<string, unknown>;
const PUSH = sample('git-push-from-public-address');

let sts: AwsClientStub<STSClient>;
let sns: AwsClientStub<SNSClient>;
let hub: FakeSecurityHub;
let handler: ReturnType<typeof createTrafficHandler>;

beforeEach(() => {
  const clients = {
    sts: new STSClient({ region: 'us-east-2' }),
    sns: new SNSClient({ region: 'us-east-2' }),
    securityHub: new SecurityHubClient({ region: 'us-east-2' }),
  };
  sts = mockClient(clients.sts);
  sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999' });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'example',
      SessionToken: 'token',
      Expiration: new Date('2030-01-01T00:00:00Z'),
    },
  });
  sns = acceptingTopic(clients.sns);
  hub = fakeSecurityHub(clients.securityHub);
  handler = createTrafficHandler({
    params: parseParams({ trustedCidrs: '198.51.100.0/24' }, CHECK_IDS),
    catalogue: CATALOGUE,
    credentials: new MemberCredentials(clients.sts, 'auditor-member', 'ext-123'),
    securityHub: () => clients.securityHub,
    sns: { client: clients.sns, topicArn: TOPIC },
    now: () => '2026-11-27T09:13:00.000Z',
    recent: new Map(),
    logger: new Logger({ logLevel: 'SILENT' }),
  });
});

describe('traffic function', () => {
  it('makes a public-address pusher FAILED HIGH in the member account, alerts once, then stays quiet', async () => {
    const outcome = await handler(PUSH);
    expect(outcome).toMatchObject({
      route: 'outside',
      status: 'FAILED',
      severity: 'HIGH',
      principal: 'arn:aws:iam::123456789012:user/alice',
      sourceIPAddress: '203.0.113.50',
      action: 'published',
      alertsSent: 1,
      failures: [],
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      'arn:aws:iam::123456789012:role/auditor-member',
    );
    const stored = hub.store.get('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice');
    expect(stored?.Compliance?.Status).toBe('FAILED');
    expect(stored?.Resources?.[0]).toMatchObject({
      Type: 'AwsIamUser',
      Details: { AwsIamUser: { UserName: 'alice' } },
    });
    expect(JSON.parse(stored?.ProductFields?.[ACTIVITY_FIELD] ?? '{}')).toMatchObject({
      outside: 1,
      sources: ['203.0.113.50'],
      actions: ['GitPush'],
    });
    const alert = sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(alert?.Subject).toContain('CCE.14');

    const calls = hub.mock.calls().length;
    expect(await handler(PUSH)).toMatchObject({ action: 'suppressed', status: 'FAILED' });
    expect(hub.mock.calls()).toHaveLength(calls);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(1);
  });

  it('adds to the counts the finding already holds (a scan, earlier events)', async () => {
    hub.store.set('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice', {
      Id: 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice',
      ProductArn: 'arn:aws:securityhub:us-east-2:123456789012:product/123456789012/default',
      GeneratorId: 'codecommit-endpoint-auditor/CCE.14',
      AwsAccountId: '123456789012',
      Region: 'us-east-2',
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
      Severity: { Label: 'MEDIUM', Original: 'MEDIUM' },
      ProductFields: {
        'codecommit-endpoint-auditor/AlertedState': 'FAILED:MEDIUM',
        [ACTIVITY_FIELD]: JSON.stringify({
          endpoint: 4,
          private: 0,
          trusted: 0,
          service: 0,
          outside: 3,
          firstOutside: '2026-11-27T01:00:00.000Z',
          lastOutside: '2026-11-27T02:00:00.000Z',
          sources: ['192.0.2.44'],
          actions: ['GitPull'],
        }),
      },
    } as never);
    const outcome = await handler(PUSH);
    // MEDIUM (pulls) → HIGH (a push): one SEVERITY_CHANGED alert.
    expect(outcome).toMatchObject({ status: 'FAILED', severity: 'HIGH', alertsSent: 1 });
    const stored = hub.store.get('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice');
    expect(stored?.Description).toContain('made 4 CodeCommit requests');
    expect(stored?.Description).toContain('192.0.2.44, 203.0.113.50');
    expect(JSON.parse(stored?.ProductFields?.[ACTIVITY_FIELD] ?? '{}')).toMatchObject({ outside: 4, endpoint: 4 });
    expect(hub.mock.commandCalls(GetFindingsCommand)[0]?.args[0].input.Filters?.Id?.[0]?.Value).toBe(
      'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice',
    );
  });

  it('changes nothing and calls nothing for a pull through an endpoint or an AWS service call', async () => {
    expect(await handler(sample('git-pull-through-endpoint'))).toMatchObject({
      route: 'endpoint',
      status: 'PASSED',
      action: 'none',
    });
    expect(await handler(sample('aws-service-call'))).toMatchObject({
      route: 'service',
      status: 'NOT_APPLICABLE',
      action: 'none',
    });
    expect(sts.calls()).toHaveLength(0);
    expect(hub.mock.calls()).toHaveLength(0);
    expect(hub.mock.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  });

  // Security Hub off in that account: nothing to add to; the alert still goes out, as a digest.
  it('sends a digest when Security Hub is not enabled in the member account', async () => {
    hub.mock.on(GetFindingsCommand).rejects(
      Object.assign(new Error('Account is not subscribed to AWS Security Hub'), {
        name: 'InvalidAccessException',
        $metadata: {},
      }),
    );
    const outcome = await handler(PUSH);
    expect(outcome).toMatchObject({ status: 'FAILED', action: 'published', alertsSent: 1 });
    const entry = sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(entry?.Subject).toContain('digest');
    expect(hub.mock.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  });

  // A finding Security Hub keeps refusing: the invocation fails (Lambda retries, then the dead-letter queue) and the
  // caller is not remembered as updated.
  it('fails the invocation when the finding cannot be imported, and tries again on the next event', async () => {
    hub.failNext.set('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.14/user/alice', 100);
    await expect(handler(PUSH)).rejects.toThrow('not published');
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
    hub.failNext.clear();
    expect(await handler(PUSH)).toMatchObject({ action: 'published', alertsSent: 1 });
  });

  it('refuses a malformed event with a message naming what is wrong', async () => {
    await expect(handler({ 'detail-type': 'Scheduled Event', detail: {} })).rejects.toThrow(
      'not a CloudTrail API event: detail-type is string "Scheduled Event"',
    );
    await expect(
      handler({ ...PUSH, detail: { ...(PUSH.detail as object), eventSource: 's3.amazonaws.com' } }),
    ).rejects.toThrow('not a CodeCommit event');
    await expect(handler({ ...PUSH, detail: { ...(PUSH.detail as object), eventTime: 'soon' } })).rejects.toThrow(
      'the record has no valid eventTime',
    );
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('npm run invoke -- traffic EVENT.json --dry-run', () => {
  it('prints the finding it would publish (status, caller, source address) without calling AWS', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runInvoke(['traffic', 'events/traffic/git-push-from-public-address.json', '--dry-run'], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(printed).toMatchObject({
      dryRun: true,
      status: 'FAILED',
      severity: 'HIGH',
      principal: 'arn:aws:iam::123456789012:user/alice',
      sourceIPAddress: '203.0.113.50',
      finding: { checkId: 'CCE.14', resourceId: 'user/alice', resourceType: 'AWS::IAM::User' },
    });
  });

  it('refuses --dry-run for handlers that cannot judge without AWS', async () => {
    const err: string[] = [];
    const code = await runInvoke(['worker', 'events/worker/tasks.json', '--dry-run'], {
      stdout: () => undefined,
      stderr: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(err.join('')).toContain('--dry-run is supported for traffic only');
  });
});
