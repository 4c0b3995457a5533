import { readFileSync } from 'node:fs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EC2Client as Ec2 } from '@aws-sdk/client-ec2';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { MemberCredentials } from '../../functions/aws/assume';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { createWorkerHandler } from '../../functions/handlers/worker';
import { workerSettings } from '../../functions/jobs/settings';
import { awsError, fakeEc2, syntheticRegion } from '../fixtures/fake-ec2';
import { fakeSecurityHub, type FakeSecurityHub } from '../fixtures/fake-securityhub';
import { acceptingTopic } from '../fixtures/fake-sns';
import { fakeIam } from '../fixtures/fake-iam';
import { IAMClient } from '@aws-sdk/client-iam';

const TOPIC = 'arn:aws:sns:us-east-2:123456789012:codecommit-endpoint-auditor-alerts';
const EVENT = JSON.parse(readFileSync('events/worker/tasks.json', 'utf8')) as SQSEvent;
const noSleep = (): Promise<void> => Promise.resolve();

let sts: AwsClientStub<STSClient>;
let sns: AwsClientStub<SNSClient>;
let ec2: AwsClientStub<EC2Client>;
let hub: FakeSecurityHub;

let clients: { sts: STSClient; sns: SNSClient; securityHub: SecurityHubClient };

/** A worker wired with injected clients (EC2 per region, from the fake that answers by the client's region). */
function worker(logger = new Logger({ logLevel: 'SILENT' })) {
  const settings = workerSettings(CHECK_IDS, {
    MEMBER_ROLE_NAME: 'auditor-member',
    MEMBER_ROLE_EXTERNAL_ID: 'ext-123',
    ALERT_TOPIC_ARN: TOPIC,
    AUDIT_PARAMETERS: '{"fipsRequired":"never"}',
  });
  return createWorkerHandler({
    settings,
    catalogue: CATALOGUE,
    credentials: new MemberCredentials(clients.sts, settings.roleName, settings.externalId),
    clients: {
      ec2: (region) => new Ec2({ region }),
      iam: (region) => new IAMClient({ region }),
      securityHub: () => clients.securityHub,
      sns: { client: clients.sns, topicArn: TOPIC },
    },
    logger,
    metrics: new Metrics({ namespace: 'Test' }),
    now: () => '2026-11-26T06:00:00.000Z',
    sleep: noSleep,
  });
}

function task(id: string, accountId: string, region: string, scanId = 'scan-1') {
  return {
    ...EVENT.Records[0],
    messageId: id,
    body: JSON.stringify({ scanId, accountId, region }),
    attributes: { ...EVENT.Records[0]?.attributes, MessageGroupId: `${accountId}:${region}` },
  } as SQSEvent['Records'][number];
}

beforeEach(() => {
  clients = {
    sts: new STSClient({ region: 'us-east-2' }),
    sns: new SNSClient({ region: 'us-east-2' }),
    securityHub: new SecurityHubClient({ region: 'us-east-2' }),
  };
  sts = mockClient(clients.sts);
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'example',
      SessionToken: 'token',
      Expiration: new Date('2030-01-01T00:00:00Z'),
    },
    AssumedRoleUser: { Arn: input.RoleArn, AssumedRoleId: 'AROA:x' },
  }));
  sns = acceptingTopic(clients.sns);
  ec2 = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 2, 3), 'eu-west-1': syntheticRegion('eu-west-1', 1, 1) });
  hub = fakeSecurityHub(clients.securityHub);
});
afterEach(() => {
  sts.restore();
  sns.restore();
  ec2.restore();
  hub.mock.restore();
});

describe('worker', () => {
  it('runs the sample batch: good tasks succeed, the malformed one alone fails', async () => {
    const response = await worker()(EVENT);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '059f36b4-87a3-44ab-83d2-661975468713' }]);
    expect(hub.store.size).toBeGreaterThan(0);
  });

  it('assumes the member role once per account, with the ExternalId and a session named after the tool', async () => {
    await worker()({
      Records: [
        task('a', '111122223333', 'us-east-2'),
        task('b', '111122223333', 'eu-west-1'),
        task('c', '444455556666', 'us-east-2'),
      ],
    });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::111122223333:role/auditor-member',
      ExternalId: 'ext-123',
      RoleSessionName: 'codecommit-endpoint-auditor-scan-1',
      DurationSeconds: 900,
    });
  });

  it('uses its own credentials for its own account', async () => {
    await worker()({ Records: [task('a', '123456789012', 'us-east-2')] });
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });

  it('keeps going when one account denies AssumeRole', async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::444455556666:role/auditor-member' })
      .rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole', 403));
    const response = await worker()({
      Records: [
        task('a', '111122223333', 'us-east-2'),
        task('b', '444455556666', 'us-east-2'),
        task('c', '111122223333', 'eu-west-1'),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
    expect([...hub.store.values()].every((f) => f.AwsAccountId === '111122223333')).toBe(true);
  });

  it('is idempotent: a task delivered twice adds no finding and no alert', async () => {
    await worker()({ Records: [task('a', '111122223333', 'us-east-2')] });
    const findings = hub.store.size;
    const alerts = sns
      .commandCalls(PublishBatchCommand)
      .flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []).length;
    expect(alerts).toBe(findings);
    await worker()({ Records: [task('a', '111122223333', 'us-east-2')] });
    expect(hub.store.size).toBe(findings);
    expect(
      sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []),
    ).toHaveLength(alerts);
  });

  it('fails the task (for redelivery) when findings cannot be imported', async () => {
    hub.failNext.set('codecommit-endpoint-auditor/111122223333/eu-west-1/CCE.6/vpce-00000000', 99);
    const response = await worker()({ Records: [task('a', '111122223333', 'eu-west-1')] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
  });

  it('validates its configuration', () => {
    expect(() => workerSettings(CHECK_IDS, { MEMBER_ROLE_NAME: 'bad role!' })).toThrow(
      'MEMBER_ROLE_NAME: "bad role!" is not an IAM role name',
    );
    expect(() => workerSettings(CHECK_IDS, { ALERT_TOPIC_ARN: 'topic' })).toThrow(
      'ALERT_TOPIC_ARN: "topic" is not an SNS topic ARN',
    );
    expect(() => workerSettings(CHECK_IDS, { AUDIT_PARAMETERS: '{"checks":"CCE.0"}' })).toThrow(
      'parameter checks: "CCE.0" names unknown check "CCE.0"',
    );
  });

  it('logs each record with its own keys, though records run in parallel', async () => {
    const lines: Record<string, unknown>[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
    try {
      await worker(new Logger({ logLevel: 'INFO', serviceName: 'test' }))({
        Records: [task('a', '111122223333', 'us-east-2', 'scan-a'), task('b', '444455556666', 'eu-west-1', 'scan-b')],
      });
    } finally {
      write.mockRestore();
    }
    const done = lines.filter((l) => l.message === 'task done');
    expect(done.map((l) => [l.messageId, l.scanId, l.accountId, l.region]).sort()).toEqual([
      ['a', 'scan-a', '111122223333', 'us-east-2'],
      ['b', 'scan-b', '444455556666', 'eu-west-1'],
    ]);
  });

  it('does not keep a failed STS call: the next invocation of a warm container calls STS again', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', 400))
      .resolves({ Account: '123456789012' });
    const handler = worker();
    const first = await handler({ Records: [task('a', '111122223333', 'us-east-2')] });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    const second = await handler({ Records: [task('b', '111122223333', 'us-east-2')] });
    expect(second.batchItemFailures).toEqual([]);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 2);
  });

  it('leaves a task for SQS to deliver again when too little of the invocation is left to scan it', async () => {
    const logged: unknown[] = [];
    const logger = new Logger({ logLevel: 'SILENT' });
    const child = logger.createChild();
    child.error = (...args: unknown[]) => void logged.push(args);
    logger.createChild = () => child;
    child.createChild = () => child;
    // 50 s left: the minute kept for publishing leaves nothing to collect with.
    const response = await worker(logger)({ Records: [task('a', '111122223333', 'us-east-2')] }, {
      getRemainingTimeInMillis: () => 50_000,
    } as never);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(ec2.calls()).toHaveLength(0);
    const [, extra] = logged[0] as [string, { error: Error }];
    expect(extra.error.message).toBe(
      'not started: 0 s left to collect in this invocation; SQS delivers the task again',
    );
  });

  it('judges the account-level checks on the task that carries the account, and only there', async () => {
    const iam = fakeIam({
      account: '111122223333',
      users: [
        {
          UserName: 'dev',
          inline: { code: { Statement: [{ Effect: 'Allow', Action: 'codecommit:*', Resource: '*' }] } },
        },
      ],
      credentials: [{ UserName: 'dev', Status: 'Active' }],
    });
    try {
      const home = {
        ...task('a', '111122223333', 'us-east-2'),
        body: JSON.stringify({
          scanId: 'scan-1',
          accountId: '111122223333',
          region: 'us-east-2',
          account: { organization: null },
        }),
      };
      const response = await worker()({ Records: [home, task('b', '111122223333', 'eu-west-1')] });
      expect(response.batchItemFailures).toEqual([]);
      const imported = [...hub.store.values()];
      const accountLevel = imported.filter((f) => /CCE\.1[23]/.test(f.GeneratorId ?? ''));
      // An account in no organization, a user whose HTTPS credential works from anywhere: both FAILED, in us-east-2 only.
      expect(accountLevel.map((f) => `${f.Region} ${f.Title?.slice(0, 6)} ${f.Compliance?.Status}`).sort()).toEqual([
        'us-east-2 CCE.12 FAILED',
        'us-east-2 CCE.13 FAILED',
      ]);
      expect(accountLevel.find((f) => f.Title?.startsWith('CCE.13'))?.Resources?.[0]).toMatchObject({
        Type: 'AwsIamUser',
      });
    } finally {
      iam.mock.restore();
    }
  });

  it('refuses an event that is not an SQS event with a clear error', async () => {
    await expect(worker()(null)).rejects.toThrow('not an SQS event: expected an object with a Records array, got null');
  });

  it('runs the tasks of one account-region in order, one at a time, so overlapping scans alert once', async () => {
    const alerts = () =>
      sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []).length;
    // Two scans of the same account-region delivered in one batch (one FIFO message group).
    const response = await worker()({
      Records: [task('a', '111122223333', 'us-east-2', 'scan-1'), task('b', '111122223333', 'us-east-2', 'scan-2')],
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(alerts()).toBe(hub.store.size);
    expect(alerts()).toBeGreaterThan(0);
  });

  it('reports the rest of a message group unprocessed after a failure, other groups going on', async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::444455556666:role/auditor-member' })
      .rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole', 403));
    const response = await worker()({
      Records: [
        task('a', '444455556666', 'us-east-2', 'scan-1'),
        task('b', '111122223333', 'us-east-2', 'scan-1'),
        task('c', '444455556666', 'us-east-2', 'scan-2'),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'c' }]);
    expect(
      sts.commandCalls(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::444455556666:role/auditor-member' }),
    ).toHaveLength(1);
  });
});
