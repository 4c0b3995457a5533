/**
 * The worker on a busy account-region's CloudTrail: a task that runs out of collection time
 * hands the rest of the window to a continuation on the queue (the page token and the summary so
 * far); CCE.14 is published once, by the task that read the last page, with every event counted.
 * Expected, as written before the first run: task 1 reads one page (its deadline is near), queues
 * one continuation with pages 1 and publishes every check but CCE.14; the continuation reads the
 * other two pages and publishes alice FAILED with all 10 of her pushes and ci PASSED with 110 (PASSED
 * findings are imported with reportPassed).
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ReportStore } from '../../functions/publish/s3-report';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemberCredentials } from '../../functions/aws/assume';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { runScanTask, type ScanTaskDeps } from '../../functions/jobs/scan-task';
import { workerSettings } from '../../functions/jobs/settings';
import { parseTaskBody, type ScanTask } from '../../functions/jobs/task';
import { fakeEc2, syntheticRegion } from '../fixtures/fake-ec2';
import { codeCommitEvent, fakeCloudTrail, type FakeCloudTrail } from '../fixtures/fake-cloudtrail';
import { fakeSecurityHub, type FakeSecurityHub } from '../fixtures/fake-securityhub';

const NOW = new Date();
let sts: AwsClientStub<STSClient>;
let ec2: AwsClientStub<EC2Client>;
let hub: FakeSecurityHub;
let trail: FakeCloudTrail;
let queued: ScanTask[];
let deps: ScanTaskDeps;

beforeEach(() => {
  const securityHub = new SecurityHubClient({ region: 'us-east-2' });
  const stsClient = new STSClient({ region: 'us-east-2' });
  sts = mockClient(stsClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  ec2 = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 1, 2) });
  hub = fakeSecurityHub(securityHub);
  const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
  trail = fakeCloudTrail({
    'us-east-2': Array.from({ length: 120 }, (_, n) =>
      n % 12 === 0
        ? codeCommitEvent(n, {
            time: minutesAgo(n + 1),
            user: 'alice',
            sourceIPAddress: '203.0.113.50',
            eventName: 'GitPush',
          })
        : codeCommitEvent(n, { time: minutesAgo(n + 1), user: 'ci', vpcEndpointId: 'vpce-0123456789abcdef0' }),
    ),
  });
  queued = [];
  const settings = workerSettings(CHECK_IDS, { AUDIT_PARAMETERS: '{"fipsRequired":"never"}', REPORT_PASSED: 'true' });
  deps = {
    settings,
    catalogue: CATALOGUE,
    credentials: new MemberCredentials(stsClient, settings.roleName, settings.externalId),
    clients: {
      ec2: (region) => new EC2Client({ region }),
      cloudTrail: (region) => new CloudTrailClient({ region }),
      securityHub: () => securityHub,
    },
    now: () => NOW.toISOString(),
    sleep: () => Promise.resolve(),
    timing: { publishReserveMs: 0, finishMarginMs: 0, minCollectMs: 0 },
    // The message travels as JSON, as SQS carries it.
    queueContinuation: (task) => {
      queued.push(parseTaskBody(JSON.stringify(task)));
      return Promise.resolve();
    },
  };
});
afterEach(() => {
  sts.restore();
  ec2.restore();
  hub.mock.restore();
  trail.mock.restore();
});

const log = new Logger({ logLevel: 'SILENT' });
const cce14 = () => [...hub.store.values()].filter((f) => f.GeneratorId?.endsWith('/CCE.14'));

describe('worker: CloudTrail pages beyond one task', () => {
  it('continues on the queue with the page token and the summary, and publishes CCE.14 once, complete', async () => {
    const task: ScanTask = { scanId: 'scan-1', accountId: '123456789012', region: 'us-east-2' };
    // Collection must end within a second: one page is read, the rest is handed on.
    await runScanTask(task, deps, log, () => undefined, { collect: Date.now() + 1_000, publish: Date.now() + 60_000 });
    expect(trail.calls.get('us-east-2')).toBe(1);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.traffic).toMatchObject({ pages: 1, startTime: expect.any(String), nextToken: 'page-50' });
    expect(cce14()).toEqual([]);
    expect(hub.store.size).toBeGreaterThan(0); // the other checks were published

    const continuation = queued[0] as ScanTask;
    const before = ec2.calls().length;
    await runScanTask(continuation, deps, log, () => undefined);
    expect(ec2.calls()).toHaveLength(before); // CloudTrail only
    expect(trail.calls.get('us-east-2')).toBe(3);
    expect(queued).toHaveLength(1);
    const byId = new Map(cce14().map((f) => [f.Id?.split('/CCE.14/')[1], f]));
    expect(byId.get('user/alice')?.Compliance?.Status).toBe('FAILED');
    expect(byId.get('user/alice')?.Description).toContain('made 10 CodeCommit requests');
    expect(byId.get('user/ci')?.Compliance?.Status).toBe('PASSED');
    expect(byId.get('user/ci')?.Description).toContain('All 110 CodeCommit requests');
  });
});

describe('worker: the reports of a scan whose CloudTrail pages go on in other tasks', () => {
  it('reports every check but CCE.14 first, nothing while pages remain, then CCE.14 beside it', async () => {
    const s3Client = new S3Client({ region: 'us-east-2' });
    const s3 = mockClient(s3Client);
    s3.on(PutObjectCommand).resolves({});
    try {
      deps.clients.reports = s3ReportStore({ client: s3Client, bucket: 'audit-reports', region: 'us-east-2' });
      const soon = () => ({ collect: Date.now() + 1_000, publish: Date.now() + 60_000 });
      const csvRows = (key: string): string[] => {
        const call = s3.commandCalls(PutObjectCommand, { Key: key })[0];
        return String(call?.args[0].input.Body ?? '')
          .split('\r\n')
          .filter(Boolean)
          .slice(1);
      };
      const checkIds = (rows: string[]): string[] => [
        ...new Set(rows.map((row) => (row.split('","')[0] ?? '').slice(1))),
      ];

      await runScanTask(
        { scanId: 'scan-1', accountId: '123456789012', region: 'us-east-2' },
        deps,
        log,
        () => undefined,
        soon(),
      );
      expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
        'scans/scan-1/123456789012-us-east-2.html',
        'scans/scan-1/123456789012-us-east-2.csv',
      ]);
      const first = checkIds(csvRows('scans/scan-1/123456789012-us-east-2.csv'));
      expect(first.length).toBeGreaterThan(5);
      expect(first).not.toContain('CCE.14');

      // A continuation that hands the last page on again has judged nothing: it writes no report.
      await runScanTask(queued[0] as ScanTask, deps, log, () => undefined, soon());
      expect(queued).toHaveLength(2);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);

      await runScanTask(queued[1] as ScanTask, deps, log, () => undefined);
      expect(
        s3
          .commandCalls(PutObjectCommand)
          .slice(2)
          .map((c) => c.args[0].input.Key),
      ).toEqual([
        'scans/scan-1/123456789012-us-east-2-cloudtrail.html',
        'scans/scan-1/123456789012-us-east-2-cloudtrail.csv',
      ]);
      const last = csvRows('scans/scan-1/123456789012-us-east-2-cloudtrail.csv');
      expect(checkIds(last)).toEqual(['CCE.14']);
      expect(last.map((row) => row.split('","')[7]).sort()).toEqual(['user/alice', 'user/ci']);
    } finally {
      s3.restore();
    }
  });

  // A member role deployed before CCE.14 lacks cloudtrail:LookupEvents: CCE.14 says so (ERROR), the rest is published.
  it('gives CCE.14 ERROR naming the permission when LookupEvents is denied, and publishes every other check', async () => {
    trail.mock.on(LookupEventsCommand).rejects(
      Object.assign(new Error('not authorized to perform: cloudtrail:LookupEvents'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const task: ScanTask = { scanId: 'scan-2', accountId: '123456789012', region: 'us-east-2' };
    await runScanTask(task, deps, log, () => undefined);
    const [error] = cce14();
    expect(cce14()).toHaveLength(1);
    expect(error?.Compliance?.Status).toBe('NOT_AVAILABLE');
    expect(error?.Description).toContain('LookupEvents failed with AccessDeniedException');
    expect(error?.Remediation?.Recommendation?.Text).toContain('cloudtrail:LookupEvents');
    expect([...hub.store.values()].some((f) => f.GeneratorId?.endsWith('/CCE.1'))).toBe(true);
    expect(queued).toEqual([]);
  });

  // Throttled beyond the SDK's retries in the middle of the window (the retries themselves run against the
  // emulator in test/aws/faults.test.ts): CCE.14 is ERROR, never a verdict on part of the window.
  it('gives CCE.14 ERROR, not a partial count, when a page stays throttled', async () => {
    let pages = 0;
    trail.mock.on(LookupEventsCommand).callsFake(async (input, getClient) => {
      if (++pages === 2)
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      return trail.answer(input, getClient);
    });
    const task: ScanTask = { scanId: 'scan-3', accountId: '123456789012', region: 'us-east-2' };
    await runScanTask(task, deps, log, () => undefined);
    expect(cce14().map((f) => `${f.Id?.split('/CCE.14/')[1]} ${f.Compliance?.Status}`)).toEqual(['* NOT_AVAILABLE']);
    expect(cce14()[0]?.Description).toContain('ThrottlingException');
  });
});
