/**
 * Scheduler (EventBridge schedule): list target accounts × regions and send one task per
 * account-region to SQS (SendMessageBatch, 10 a call), each carrying the scan id.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { callerAccount } from '../aws/identity';
import { enabledRegions } from '../aws/enabled-regions';
import { clientConfig } from '../aws/clients';
import { CallCounter } from '../aws/call-counter';
import { lambdaRegion } from '../aws/env';
import { schedulerSettings, type SchedulerSettings } from '../aws/settings';
import { organizationAccounts } from '../aws/targets';
import { failuresOf, sendWithRetries, splitBatches } from '../publish/batches';
import { parseTask, type ScanTask } from './task';

export interface SchedulerDeps {
  settings: SchedulerSettings;
  sqs: SQSClient;
  organizations: OrganizationsClient;
  sts: STSClient;
  ec2: EC2Client;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export interface SchedulerResult {
  scanId: string;
  accounts: number;
  regions: number;
  tasksSent: number;
  tasksFailed: number;
  apiCalls: Record<string, number>;
}

function scanIdOf(event: unknown): string {
  const e = event as { id?: unknown; time?: unknown } | null;
  if (e && typeof e.id === 'string' && e.id !== '') return e.id;
  return `scan-${new Date().toISOString()}`;
}

export function createSchedulerHandler(deps: SchedulerDeps) {
  return async (event: unknown): Promise<SchedulerResult> => {
    const scanId = scanIdOf(event);
    const counter = new CallCounter();
    const { settings, logger } = deps;
    logger.appendKeys({ scanId });

    let accounts: string[];
    if (settings.targets.kind === 'organization') accounts = await organizationAccounts(deps.organizations, counter);
    else if (settings.targets.kind === 'list') accounts = [...settings.targets.accounts];
    else {
      counter.add('GetCallerIdentity');
      accounts = [await callerAccount(deps.sts)];
    }
    accounts = accounts.filter((a) => !settings.excluded.has(a));
    let regions: string[];
    if (settings.regions === 'all') {
      counter.add('DescribeRegions');
      regions = await enabledRegions(deps.ec2);
    } else regions = settings.regions;

    const tasks: ScanTask[] = accounts.flatMap((accountId) =>
      regions.map((region) => parseTask({ scanId, accountId, region })),
    );
    const entries: SendMessageBatchRequestEntry[] = tasks.map((task, index) => ({
      Id: `t${index}`,
      MessageBody: JSON.stringify(task),
    }));
    const result = await sendWithRetries(
      entries,
      (items) => splitBatches(items, 10, 256 * 1024, (e) => Buffer.byteLength(e.MessageBody ?? '')),
      async (batch) => {
        counter.add('SendMessageBatch');
        const response = await deps.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: settings.queueUrl, Entries: batch }),
        );
        return {
          succeeded: response.Successful?.length ?? 0,
          failed: failuresOf(
            batch,
            (e) => e.Id,
            response.Failed,
            (f) => ({ id: f.Id, code: f.Code, message: f.Message }),
          ),
        };
      },
      { sleep: deps.sleep },
    );
    for (const failure of result.failed)
      logger.error('task not queued', { task: failure.item.MessageBody, code: failure.code, message: failure.message });
    logger.info('scan scheduled', {
      accounts: accounts.length,
      regions: regions.length,
      tasksSent: result.succeeded,
      tasksFailed: result.failed.length,
      apiCalls: counter.toJSON(),
    });
    if (result.failed.length > 0)
      throw new Error(
        `${result.failed.length} of ${tasks.length} scan tasks could not be queued (first: ${result.failed[0]?.code ?? ''})`,
      );
    return {
      scanId,
      accounts: accounts.length,
      regions: regions.length,
      tasksSent: result.succeeded,
      tasksFailed: 0,
      apiCalls: counter.toJSON(),
    };
  };
}

let live: ((event: unknown) => Promise<SchedulerResult>) | undefined;
export const handler = (event: unknown): Promise<SchedulerResult> => {
  if (!live) {
    const region = lambdaRegion();
    const settings = schedulerSettings();
    const config = clientConfig({ region });
    live = createSchedulerHandler({
      settings,
      sqs: new SQSClient(config),
      organizations: new OrganizationsClient(config),
      sts: new STSClient(config),
      ec2: new EC2Client(config),
      logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
    });
  }
  return live(event);
};
