/**
 * A worker task: one account-region of one scheduled scan, with the member account's
 * credentials. Reports counts and a log line, and fails (so SQS delivers the task again)
 * when findings or alerts could not be published.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { MemberCredentials } from '../aws/assume';
import { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { DeliveryError, TaskError } from '../core/errors';
import { LAMBDA_TIMING, within, type Deadlines, type Timing } from './deadlines';
import { scanMetrics } from './metrics';
import { scanScope, type ScanClients } from './scan-scope';
import type { WorkerSettings } from './settings';
import { continuation, organizationOf, parseTaskBody, trafficOf, type ScanTask } from './task';
import { lookbackWindow } from '../aws/cloudtrail';
import { queueTasks } from './queue';
import type { SQSClient } from '@aws-sdk/client-sqs';

/** What a task logs through: Powertools' Logger (a child per record). */
export type TaskLog = Pick<Logger, 'info' | 'warn' | 'error' | 'createChild'>;

export interface ScanTaskDeps {
  settings: WorkerSettings;
  catalogue: readonly Check[];
  credentials: MemberCredentials;
  clients: ScanClients;
  now: () => string;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** How the invocation's time is shared out (jobs/deadlines); LAMBDA_TIMING by default. */
  timing?: Timing | undefined;
  /** Queue a task's continuation (CloudTrail pages left); without it, the pages are read to the end. */
  queueContinuation?: ((task: ScanTask) => Promise<void>) | undefined;
}

export async function runScanTask(
  task: ScanTask,
  deps: ScanTaskDeps,
  log: TaskLog,
  metric: (name: string, value: number) => void,
  deadlines?: Deadlines,
): Promise<void> {
  if (deadlines && deadlines.collect - Date.now() < (deps.timing ?? LAMBDA_TIMING).minCollectMs) {
    metric('TasksDeferred', 1);
    throw new TaskError(
      `not started: ${Math.max(0, Math.round((deadlines.collect - Date.now()) / 1000))} s left to collect in this invocation; SQS delivers the task again`,
    );
  }
  const counter = new CallCounter();
  const credentials = await within(deadlines?.collect, 'collection', () =>
    deps.credentials.for(task.accountId, task.region, task.scanId),
  );
  // One task per account carries the account-level part: the organization's data, as the scheduler read it.
  const accountLevel = task.account && {
    organization: organizationOf(task),
    organizationError: task.account.organizationError,
  };
  const now = deps.now();
  const traffic = task.traffic
    ? trafficOf(task.traffic)
    : { window: lookbackWindow(new Date(now), deps.settings.params.trafficLookbackHours) };
  // Without a queue to continue on, the pages are read until the collection deadline (then ERROR).
  const canContinue = deps.queueContinuation !== undefined;
  const scan = await scanScope(task, deps.clients, {
    deadlines,
    accountLevel,
    traffic: { ...traffic, canContinue },
    trafficOnly: task.traffic !== undefined,
    params: deps.settings.params,
    catalogue: deps.catalogue,
    counter,
    credentials,
    now,
    reportPassed: deps.settings.reportPassed,
    sleep: deps.sleep,
    scanId: task.scanId,
  });
  for (const [name, value] of Object.entries(scanMetrics(scan, counter.total()))) metric(name, value);
  if (scan.incomplete) {
    const timedOut = scan.inventory.collectionErrors?.filter((e) => e.code === 'TimedOut') ?? [];
    if (timedOut.length > 0) metric('CallsTimedOut', timedOut.length);
    log.warn('scan incomplete', { reasons: scan.inventory.collectionErrors });
  }
  if (scan.trafficPending) {
    // The rest of the window goes on in the next task of this account-region's message group.
    const next = continuation(task, scan.trafficPending);
    if (!deps.queueContinuation) throw new TaskError('CloudTrail pages left and no queue to continue on');
    await deps.queueContinuation(next);
    metric('TasksContinued', 1);
    log.info('task continues', {
      pages: scan.trafficPending.pages,
      principals: scan.trafficPending.carried.principals.length,
    });
  }
  if (scan.report && !scan.report.written) {
    // The findings are published all the same; the alerts then carry no report link.
    const { bucket, key, code, message } = scan.report;
    log.warn('report not written', { bucket, key, code, message });
  }
  const failures = scan.published?.failures ?? [];
  log.info('task done', {
    findings: scan.findings.length,
    alerts: scan.published?.alertsSent ?? 0,
    apiCalls: counter.toJSON(),
    publishFailures: failures,
    ...(scan.report?.written ? { report: scan.report.link.html } : {}),
  });
  // Undelivered findings or alerts: fail the task so SQS delivers it again (imports are idempotent).
  if (failures.length > 0) {
    throw new DeliveryError(`${failures.length} finding(s) or alert(s) not published: ${failures[0] ?? ''}`);
  }
  metric('TasksSucceeded', 1);
}

/**
 * One SQS record: parse its task, run it, count and log a failure, then rethrow it so the
 * batch reports the record as failed. Each record logs through its own child logger, since
 * records run in parallel and keys set on a shared logger would mix.
 */
export async function runScanRecord(
  record: { messageId: string; body: string },
  deps: ScanTaskDeps,
  logger: TaskLog,
  metric: (name: string, value: number) => void,
  deadlines?: Deadlines,
): Promise<void> {
  metric('Tasks', 1);
  let log = logger.createChild({ persistentKeys: { messageId: record.messageId } });
  try {
    const task = parseTaskBody(record.body);
    log = log.createChild({ persistentKeys: { scanId: task.scanId, accountId: task.accountId, region: task.region } });
    await runScanTask(task, deps, log, metric, deadlines);
  } catch (error) {
    metric('TaskErrors', 1);
    log.error('task failed', { error: error as Error });
    throw error;
  }
}

/**
 * An SQS batch from the FIFO task queue: records of one message group (one account-region) run
 * in order, one at a time; groups run side by side. After a record fails, the rest of its group
 * is reported failed unprocessed, as FIFO ordering requires; other groups go on.
 */
export async function processTaskBatch(
  records: readonly SQSRecord[],
  processRecord: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes?.MessageGroupId ?? record.messageId;
    const list = groups.get(group);
    if (list) list.push(record);
    else groups.set(group, [record]);
  }
  const failed = new Set<string>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const [index, record] of group.entries()) {
        try {
          await processRecord(record);
        } catch {
          for (const rest of group.slice(index)) failed.add(rest.messageId);
          return;
        }
      }
    }),
  );
  return {
    batchItemFailures: records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })),
  };
}

/** Queue continuations on the task queue (a DeliveryError when SQS refuses: the task is run again). */
export function continueOn(sqs: SQSClient, queueUrl: string): (task: ScanTask) => Promise<void> {
  return async (task) => {
    const queued = await queueTasks(sqs, queueUrl, [task], { counter: new CallCounter() });
    const failed = queued.failed[0];
    if (failed) throw new DeliveryError(`continuation not queued: ${failed.code} ${failed.message}`);
  };
}
