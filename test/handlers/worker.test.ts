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
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { CallCounter } from '../../functions/core/call-counter';
import { isAccountLevel } from '../../functions/core/check';
import { scanScope } from '../../functions/jobs/scan-scope';
import { formatCsv } from '../../functions/publish/csv';
import { endpointPolicyLookup, renderHtmlReport } from '../../functions/publish/html-report';
import { paramsRecord } from '../../functions/publish/report-meta';
import { s3ReportStore } from '../../functions/publish/s3-report';
import type { ReportStore } from '../../functions/publish/scan-report';
import packageJson from '../../package.json' with { type: 'json' };

const TOPIC = 'arn:aws:sns:us-east-2:123456789012:codecommit-endpoint-auditor-alerts';
const EVENT = JSON.parse(readFileSync('events/worker/tasks.json', 'utf8')) as SQSEvent;
const noSleep = (): Promise<void> => Promise.resolve();

let sts: AwsClientStub<STSClient>;
let sns: AwsClientStub<SNSClient>;
let ec2: AwsClientStub<EC2Client>;
let hub: FakeSecurityHub;

let clients: { sts: STSClient; sns: SNSClient; securityHub: SecurityHubClient };

/** A worker wired with injected clients (EC2 per region, from the fake that answers by the client's region). */
function worker(logger = new Logger({ logLevel: 'SILENT' }), extra: { reports?: ReportStore; metrics?: Metrics } = {}) {
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
      reports: extra.reports,
    },
    logger,
    metrics: extra.metrics ?? new Metrics({ namespace: 'Test' }),
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

  it('reads the report bucket, or none, and refuses a name S3 would refuse', () => {
    expect(workerSettings(CHECK_IDS, {}).reports).toBeUndefined();
    expect(
      workerSettings(CHECK_IDS, { REPORT_BUCKET: '', REPORT_BUCKET_OWNER: '123456789012' }).reports,
    ).toBeUndefined();
    expect(
      workerSettings(CHECK_IDS, { REPORT_BUCKET: ' audit.reports-1 ', REPORT_BUCKET_OWNER: '123456789012' }).reports,
    ).toEqual({ bucket: 'audit.reports-1', owner: '123456789012' });
    const rule = '3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: 'Audit_Reports' })).toThrow(
      `REPORT_BUCKET: "Audit_Reports" is not an S3 bucket name (${rule})`,
    );
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: 's3://audit-reports' })).toThrow(
      `REPORT_BUCKET: "s3://audit-reports" is not an S3 bucket name (${rule})`,
    );
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: 'audit..reports' })).toThrow(
      'REPORT_BUCKET: "audit..reports" is not an S3 bucket name (no two dots in a row)',
    );
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: '10.0.0.1' })).toThrow(
      'REPORT_BUCKET: "10.0.0.1" is not an S3 bucket name (not shaped like an IP address)',
    );
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: 'reports--x-s3' })).toThrow(
      /^REPORT_BUCKET: "reports--x-s3" is not an S3 bucket name \(none of the prefixes /,
    );
    expect(() => workerSettings(CHECK_IDS, { REPORT_BUCKET: 'audit-reports', REPORT_BUCKET_OWNER: 'me' })).toThrow(
      'REPORT_BUCKET_OWNER: "me" is not a 12-digit account id',
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

describe('worker: scan reports in S3', () => {
  const BUCKET = 'audit-reports-123456789012';
  const CONSOLE = `https://console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-2&prefix=`;
  let s3Client: S3Client;
  let s3: AwsClientStub<S3Client>;
  const reports = (): ReportStore =>
    s3ReportStore({ client: s3Client, bucket: BUCKET, region: 'us-east-2', owner: '123456789012' });

  beforeEach(() => {
    s3Client = new S3Client({ region: 'us-east-2' });
    s3 = mockClient(s3Client);
    s3.on(PutObjectCommand).resolves({ ETag: '"0"' });
  });
  afterEach(() => s3.restore());

  /** The account-region judged without the worker (EC2 only, as a task without the account's part): what its report must hold. */
  async function judged(accountId: string, region: string) {
    const params = workerSettings(CHECK_IDS, { AUDIT_PARAMETERS: '{"fipsRequired":"never"}' }).params;
    const scan = await scanScope(
      { accountId, region },
      { ec2: (r) => new Ec2({ region: r }) },
      { params, catalogue: CATALOGUE, counter: new CallCounter(), now: '2026-11-26T06:00:00.000Z' },
    );
    // A task that does not carry the account judges neither the account-level checks nor CloudTrail (no client here).
    const checks = CATALOGUE.filter((c) => !isAccountLevel(c) && !c.needs.includes('cloudTrailEvents')).map(
      (c) => c.id,
    );
    const meta = {
      scannedAt: '2026-11-26T06:00:00.000Z',
      toolVersion: packageJson.version,
      accounts: [accountId],
      regions: [region],
      params: paramsRecord({ ...params, checks }),
    };
    return {
      findings: scan.findings,
      html: renderHtmlReport(scan.findings, meta, endpointPolicyLookup([scan.inventory])),
      csv: formatCsv(scan.findings),
    };
  }

  function emails(): string[] {
    return sns
      .commandCalls(PublishBatchCommand)
      .flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? [])
      .map((e) => (JSON.parse(e.Message ?? '{}') as { email: string }).email);
  }

  it("writes each task's HTML and CSV report, of exactly its account-region's findings, encrypted, to the bucket", async () => {
    const response = await worker(undefined, { reports: reports() })({
      Records: [task('a', '111122223333', 'us-east-2'), task('b', '111122223333', 'eu-west-1')],
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 4);
    for (const region of ['us-east-2', 'eu-west-1']) {
      const expected = await judged('111122223333', region);
      expect(expected.findings.length).toBeGreaterThan(0);
      expect(expected.findings.every((f) => f.accountId === '111122223333' && f.region === region)).toBe(true);
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key: `scans/scan-1/111122223333-${region}.html`,
        Body: expected.html,
        ContentType: 'text/html; charset=utf-8',
        ServerSideEncryption: 'AES256',
        ExpectedBucketOwner: '123456789012',
      });
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key: `scans/scan-1/111122223333-${region}.csv`,
        Body: expected.csv,
        ContentType: 'text/csv; charset=utf-8; header=present',
        ServerSideEncryption: 'AES256',
        ExpectedBucketOwner: '123456789012',
      });
      // One row a finding, after the header.
      expect(expected.csv.split('\r\n').filter(Boolean)).toHaveLength(expected.findings.length + 1);
    }
  });

  it("links each alert's readable text to the report of its account-region", async () => {
    await worker(undefined, { reports: reports() })({ Records: [task('a', '111122223333', 'us-east-2')] });
    const texts = emails();
    expect(texts.length).toBe(hub.store.size);
    for (const text of texts)
      expect(text).toContain(`\nScan report: ${CONSOLE}scans/scan-1/111122223333-us-east-2.html`);
  });

  it('links the digest, in every variant, where Security Hub is not enabled', async () => {
    hub.mock
      .on(GetFindingsCommand)
      .rejects(awsError('InvalidAccessException', 'Account is not subscribed to AWS Security Hub'));
    const response = await worker(undefined, { reports: reports() })({
      Records: [task('a', '111122223333', 'eu-west-1')],
    });
    expect(response.batchItemFailures).toEqual([]);
    const entries = sns
      .commandCalls(PublishBatchCommand)
      .flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
    expect(entries).toHaveLength(1);
    const variants = JSON.parse(entries[0]?.Message ?? '{}') as Record<string, string>;
    const key = 'scans/scan-1/111122223333-eu-west-1';
    expect(variants.email).toContain(
      `Full report, every finding with its fix: ${CONSOLE}${key}.html\n(s3://${BUCKET}/${key}.html; CSV: s3://${BUCKET}/${key}.csv)`,
    );
    expect((JSON.parse(variants.sqs ?? '{}') as { report: unknown }).report).toEqual({
      html: `s3://${BUCKET}/${key}.html`,
      csv: `s3://${BUCKET}/${key}.csv`,
      console: `${CONSOLE}${key}.html`,
    });
    const chat = JSON.parse(variants.https ?? '{}') as { content: { nextSteps: string[] } };
    expect(chat.content.nextSteps[0]).toBe(
      `<${CONSOLE.replace('&', '&amp;')}${key}.html|Open the full report of this scan (HTML) in the S3 console>`,
    );
  });

  it('publishes the findings all the same when the report cannot be written: a warning, a metric, no link', async () => {
    s3.on(PutObjectCommand, { Key: 'scans/scan-1/111122223333-us-east-2.csv' }).rejects(
      awsError('AccessDenied', 'User is not authorized to perform: s3:PutObject', 403),
    );
    const metrics = new Metrics({ namespace: 'Test' });
    const counted = vi.spyOn(metrics, 'addMetric');
    const warned: unknown[][] = [];
    const logger = new Logger({ logLevel: 'SILENT' });
    const child = logger.createChild();
    child.warn = (...args: unknown[]) => void warned.push(args);
    logger.createChild = () => child;
    child.createChild = () => child;

    const response = await worker(logger, { reports: reports(), metrics })({
      Records: [task('a', '111122223333', 'us-east-2')],
    });

    expect(response.batchItemFailures).toEqual([]);
    expect(hub.store.size).toBeGreaterThan(0);
    const texts = emails();
    expect(texts.length).toBe(hub.store.size);
    expect(texts.filter((t) => t.includes('Scan report:'))).toEqual([]);
    expect(warned).toEqual([
      [
        'report not written',
        {
          bucket: BUCKET,
          key: 'scans/scan-1/111122223333-us-east-2.html',
          code: 'AccessDenied',
          message: 'User is not authorized to perform: s3:PutObject',
        },
      ],
    ]);
    expect(counted).toHaveBeenCalledWith('ReportsNotWritten', 'Count', 1);
    expect(counted).not.toHaveBeenCalledWith('ReportsWritten', 'Count', 1);
    expect(counted).toHaveBeenCalledWith('TasksSucceeded', 'Count', 1);
  });
});
