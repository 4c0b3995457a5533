import { readFileSync } from 'node:fs';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchedulerHandler } from '../../functions/handlers/scheduler';
import { schedulerSettings } from '../../functions/jobs/settings';
import { fakeEc2 } from '../fixtures/fake-ec2';
import { acceptingQueue, organization } from '../fixtures/fake-org';

const EVENT = JSON.parse(readFileSync('events/scheduler/scheduled.json', 'utf8')) as unknown;
const QUEUE = 'https://sqs.us-east-2.amazonaws.com/123456789012/codecommit-endpoint-auditor-tasks';
const noSleep = (): Promise<void> => Promise.resolve();

let sqs: AwsClientStub<SQSClient>;
let orgs: AwsClientStub<OrganizationsClient>;
let sts: AwsClientStub<STSClient>;
let ec2: AwsClientStub<EC2Client>;

function scheduler(env: Record<string, string>) {
  return createSchedulerHandler({
    settings: schedulerSettings({ TASK_QUEUE_URL: QUEUE, AWS_REGION: 'us-east-2', ...env }),
    clients,
    logger: new Logger({ logLevel: 'SILENT' }),
    sleep: noSleep,
  });
}

let clients: { sqs: SQSClient; organizations: OrganizationsClient; sts: STSClient; ec2: EC2Client };

beforeEach(() => {
  clients = {
    sqs: new SQSClient({ region: 'us-east-2' }),
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    sts: new STSClient({ region: 'us-east-2' }),
    ec2: new EC2Client({ region: 'us-east-2' }),
  };
  sqs = acceptingQueue(clients.sqs);
  orgs = organization(45, 20, clients.organizations);
  sts = mockClient(clients.sts);
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  ec2 = fakeEc2({}, ['eu-west-1', 'us-east-1', 'us-east-2']);
});
afterEach(() => {
  sqs.restore();
  orgs.restore();
  sts.restore();
  ec2.restore();
});

describe('scheduler', () => {
  it('queues one task per ACTIVE organization account and region, minus exclusions, 10 a call', async () => {
    const result = await scheduler({
      TARGET_ACCOUNTS: 'organization',
      EXCLUDED_ACCOUNTS: '100000000000,100000000001',
      SCAN_REGIONS: 'us-east-2,eu-west-1',
    })(EVENT);
    // 45 accounts, 1 suspended (index 7), 2 excluded: 42 × 2 regions.
    expect(result).toMatchObject({
      scanId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      accounts: 42,
      regions: 2,
      tasksSent: 84,
      tasksFailed: 0,
    });
    // The accounts come from the organization's tree (45 under the root: 3 pages of 20), not ListAccounts.
    expect(orgs).toHaveReceivedCommandTimes(ListAccountsForParentCommand, 3);
    expect(orgs).not.toHaveReceivedCommand(ListAccountsCommand);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 9);
    const bodies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => JSON.parse(e.MessageBody ?? '') as Record<string, unknown>);
    // The task in the scheduler's region (us-east-2) carries the account's SCP chain for CCE.12 and CCE.13.
    expect(bodies[0]).toMatchObject({
      scanId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      accountId: '100000000002',
      region: 'us-east-2',
      account: { organization: { Organization: { Id: 'o-a1b2c3d4e5' }, Parents: [{ Type: 'ROOT' }] } },
    });
    const ireland = bodies.find((b) => b.accountId === '100000000002' && b.region === 'eu-west-1');
    expect(ireland).toEqual({
      scanId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      accountId: '100000000002',
      region: 'eu-west-1',
    });
    expect(bodies.some((b) => b.accountId === '100000000007')).toBe(false);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, { QueueUrl: QUEUE });
  });

  it.each([
    ['another account, without scanManagementAccount', '123456789012', {}, false],
    ['another account, with scanManagementAccount=true', '123456789012', { SCAN_MANAGEMENT_ACCOUNT: 'true' }, true],
    ['the management account itself (its own role scans it)', '100000000003', {}, true],
  ])('handles the management account from %s', async (_name, own, env: Record<string, string>, scanned) => {
    orgs.restore();
    orgs = organization(10, 20, clients.organizations, '100000000003');
    sts.on(GetCallerIdentityCommand).resolves({ Account: own });
    const logged: unknown[] = [];
    const logger = new Logger({ logLevel: 'SILENT' });
    const child = logger.createChild();
    child.info = (...args: unknown[]) => void logged.push(args);
    logger.createChild = () => child;
    const result = await createSchedulerHandler({
      settings: schedulerSettings({
        TASK_QUEUE_URL: QUEUE,
        AWS_REGION: 'us-east-2',
        TARGET_ACCOUNTS: 'organization',
        SCAN_REGIONS: 'us-east-2',
        ...env,
      }),
      clients,
      logger,
      sleep: noSleep,
    })(EVENT);
    const bodies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => (JSON.parse(e.MessageBody ?? '') as { accountId: string }).accountId);
    expect(bodies.includes('100000000003')).toBe(scanned);
    expect(result.accounts).toBe(scanned ? 9 : 8);
    const skipLines = logged.filter((args) => (args as unknown[])[0] === 'account skipped');
    expect(skipLines).toHaveLength(scanned ? 0 : 1);
    if (!scanned)
      expect(JSON.stringify(skipLines[0])).toContain(
        'deploy infra/member-role.yml to it as a stack and set scanManagementAccount=true',
      );
  });

  it('scans a static account list, or its own account, in the enabled regions', async () => {
    const listed = await scheduler({ TARGET_ACCOUNTS: '111122223333,444455556666', SCAN_REGIONS: 'all' })(EVENT);
    expect(listed).toMatchObject({ accounts: 2, regions: 3, tasksSent: 6 });
    const own = await scheduler({ TARGET_ACCOUNTS: 'self', SCAN_REGIONS: 'us-east-2' })(EVENT);
    expect(own).toMatchObject({ accounts: 1, regions: 1, tasksSent: 1 });
    expect(orgs).not.toHaveReceivedCommand(ListAccountsCommand);
  });

  it('retries failed entries, and fails loudly when some still cannot be queued', async () => {
    let calls = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      calls++;
      const [first, ...rest] = input.Entries;
      const failFirst = calls === 1;
      return {
        Successful: (failFirst ? rest : input.Entries).map((e) => ({
          Id: e.Id,
          MessageId: 'm',
          MD5OfMessageBody: 'x',
        })),
        Failed:
          failFirst && first ? [{ Id: first.Id, Code: 'InternalError', SenderFault: false, Message: 'try later' }] : [],
      };
    });
    const result = await scheduler({ TARGET_ACCOUNTS: '111122223333', SCAN_REGIONS: 'us-east-2,eu-west-1' })(EVENT);
    expect(result.tasksSent).toBe(2);
    expect(calls).toBe(2);

    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: 't0', Code: 'KmsAccessDenied', SenderFault: true, Message: 'no' }] });
    await expect(scheduler({ TARGET_ACCOUNTS: '111122223333', SCAN_REGIONS: 'us-east-2' })(EVENT)).rejects.toThrow(
      '1 of 1 scan tasks could not be queued (first: KmsAccessDenied)',
    );
  });

  it('reads the SCP chain of each listed account, and says in its task when it cannot', async () => {
    await scheduler({ TARGET_ACCOUNTS: '100000000002,111122223333', SCAN_REGIONS: 'us-east-2' })(EVENT);
    const bodies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => JSON.parse(e.MessageBody ?? '') as { accountId: string; account?: Record<string, unknown> });
    expect(bodies.find((b) => b.accountId === '100000000002')?.account).toMatchObject({
      organization: {
        Organization: { Id: 'o-a1b2c3d4e5' },
        Policies: { '100000000002': [{ PolicySummary: { Id: 'p-FullAWSAccess' } }] },
      },
    });
    // An account the organization does not hold: its task carries the error, and CCE.12 will say ERROR.
    expect(bodies.find((b) => b.accountId === '111122223333')?.account).toMatchObject({
      organizationError: { operation: 'ListParents', code: expect.any(String) },
    });
  });

  it('fails, queueing nothing, when the organization cannot be listed', async () => {
    orgs.on(ListRootsCommand).rejects(
      Object.assign(new Error("You don't have permissions to access this resource."), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(scheduler({ TARGET_ACCOUNTS: 'organization', SCAN_REGIONS: 'us-east-2' })(EVENT)).rejects.toThrow(
      "You don't have permissions to access this resource.",
    );
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it.each([
    [{}, 'environment variable TASK_QUEUE_URL is required but not set'],
    [{ TASK_QUEUE_URL: QUEUE, TARGET_ACCOUNTS: '12345' }, 'TARGET_ACCOUNTS: "12345" is not a 12-digit account id'],
    [{ TASK_QUEUE_URL: QUEUE, SCAN_REGIONS: 'us-east-2,mars-1' }, 'SCAN_REGIONS: "mars-1" is not an AWS region code'],
    [{ TASK_QUEUE_URL: 'queue' }, 'TASK_QUEUE_URL: "queue" is not a queue URL'],
  ])('validates its configuration: %j', (env, message) => {
    expect(() => schedulerSettings(env)).toThrow(message);
  });
});
