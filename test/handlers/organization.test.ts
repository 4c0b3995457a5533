/**
 * A simulated organization of 1,000 accounts × 17 regions through the scheduler and the
 * worker (mocked AWS): every account-region must be queued once and scanned once.
 */
import { readFileSync } from 'node:fs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createSchedulerHandler } from '../../functions/handlers/scheduler';
import { createWorkerHandler } from '../../functions/handlers/worker';
import { schedulerSettings, workerSettings } from '../../functions/aws/settings';
import { fakeEc2, syntheticRegion } from '../fixtures/fake-ec2';
import { activeCount, organization } from '../fixtures/fake-org';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { acceptingTopic } from '../fixtures/fake-sns';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-2',
  'ap-south-1',
  'sa-east-1',
  'ca-central-1',
  'me-south-1',
];
const EVENT = JSON.parse(readFileSync('events/scheduler/scheduled.json', 'utf8')) as unknown;

describe('organization-scale scan', () => {
  it('accounts for every one of 1,000 accounts × 17 regions', async () => {
    const queue: SendMessageBatchRequestEntry[] = [];
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      queue.push(...input.Entries);
      return {
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: [],
      };
    });
    const size = 1021;
    expect(activeCount(size)).toBe(1000); // 1,021 accounts, 21 of them suspended
    const orgs = organization(size, 20);
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999' });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'x',
        SessionToken: 't',
        Expiration: new Date('2030-01-01'),
      },
    });
    const ec2 = fakeEc2(Object.fromEntries(REGIONS.map((r) => [r, syntheticRegion(r, 2, 2)])), REGIONS);
    const hub = mockClient(SecurityHubClient);
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    const imported = new Set<string>();
    hub
      .on(BatchImportFindingsCommand)
      .callsFake((input: { Findings: { Id: string; AwsAccountId: string; Region: string }[] }) => {
        for (const f of input.Findings) imported.add(`${f.AwsAccountId} ${f.Region}`);
        return { SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] };
      });
    const sns = acceptingTopic();

    try {
      let peakRss = process.memoryUsage().rss;
      const scheduled = await createSchedulerHandler({
        settings: schedulerSettings({
          TASK_QUEUE_URL: 'https://sqs.us-east-2.amazonaws.com/999999999999/tasks',
          TARGET_ACCOUNTS: 'organization',
          SCAN_REGIONS: 'all',
          AWS_REGION: 'us-east-2',
        }),
        sqs: new SQSClient({ region: 'us-east-2' }),
        organizations: new OrganizationsClient({ region: 'us-east-1' }),
        sts: new STSClient({ region: 'us-east-2' }),
        ec2: new EC2Client({ region: 'us-east-2' }),
        logger: new Logger({ logLevel: 'SILENT' }),
      })(EVENT);
      expect(scheduled).toMatchObject({ accounts: 1000, regions: 17, tasksSent: 17_000 });
      expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1_700);

      const worker = createWorkerHandler({
        settings: workerSettings({ ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-2:999999999999:alerts' }),
        region: 'us-east-2',
        sts: new STSClient({ region: 'us-east-2' }),
        sns: new SNSClient({ region: 'us-east-2' }),
        logger: new Logger({ logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: 'Test' }),
        now: () => '2026-11-26T06:00:00.000Z',
      });
      const schedulerEc2Calls = ec2.calls().length; // DescribeRegions
      ec2.resetHistory();
      const started = Date.now();
      let failures = 0;
      let ec2Calls = 0;
      let otherCalls = 0;
      for (let i = 0; i < queue.length; i += 10) {
        const records = queue.slice(i, i + 10).map(
          (e) =>
            ({
              messageId: e.Id,
              body: e.MessageBody,
              attributes: {},
              messageAttributes: {},
              eventSource: 'aws:sqs',
            }) as unknown as SQSRecord,
        );
        const response = await worker({ Records: records });
        failures += response.batchItemFailures.length;
        if (i % 1000 === 0) {
          // Fold the mocks' call records into counts so the harness does not hold 100,000 requests.
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          ec2Calls += ec2.calls().length;
          otherCalls += hub.calls().length + sts.commandCalls(AssumeRoleCommand).length;
          for (const m of [ec2, hub, sts, sns]) m.resetHistory();
        }
      }
      ec2Calls += ec2.calls().length;
      otherCalls += hub.calls().length + sts.commandCalls(AssumeRoleCommand).length;
      const seconds = (Date.now() - started) / 1000;
      const perTask = (ec2Calls + otherCalls) / queue.length;
      console.log(
        `organization scan: ${scheduled.tasksSent} tasks sent in ${sqs.commandCalls(SendMessageBatchCommand).length} SendMessageBatch calls; ` +
          `worker ${seconds.toFixed(1)} s; ${perTask.toFixed(2)} API calls per task (EC2 ${(ec2Calls / queue.length).toFixed(2)}); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
      );
      expect(failures).toBe(0);
      expect(imported.size).toBe(17_000);
      expect(schedulerEc2Calls).toBe(1);
      expect(ec2Calls).toBe(5 * 17_000);
    } finally {
      for (const m of [sqs, orgs, sts, ec2, hub, sns]) m.restore();
    }
  }, 240_000);
});
