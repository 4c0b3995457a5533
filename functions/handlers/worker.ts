/**
 * Worker (SQS FIFO, partial batch responses): one scan task per record (jobs/scan-task). A failing
 * task never fails the others; one that keeps failing goes to the dead-letter queue.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { MemberCredentials } from '../aws/assume';
import { makeClient } from '../aws/clients';
import { memberScanClients } from '../jobs/clients';
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { lambdaDeadlines } from '../jobs/deadlines';
import { continueOn, processTaskBatch, runScanRecord, type ScanTaskDeps } from '../jobs/scan-task';
import { lambdaRegion, workerSettings } from '../jobs/settings';
import { parseSqsEvent } from '../jobs/task';
import { lazyHandler } from './lazy';

export interface WorkerDeps extends ScanTaskDeps {
  logger: Logger;
  metrics: Metrics;
}

export function createWorkerHandler(deps: WorkerDeps) {
  const count = (name: string, value: number): unknown => deps.metrics.addMetric(name, MetricUnit.Count, value);
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const sqsEvent = parseSqsEvent(event);
    deps.credentials.forgetAssumed();
    const deadlines = lambdaDeadlines(context, deps.timing); // shared by the batch's records
    try {
      return await processTaskBatch(sqsEvent.Records, (record: SQSRecord) =>
        runScanRecord(record, deps, deps.logger, count, deadlines),
      );
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

export const handler = lazyHandler<unknown, SQSBatchResponse, Context>(() => {
  const region = lambdaRegion();
  const settings = workerSettings(CHECK_IDS);
  return createWorkerHandler({
    settings,
    catalogue: CATALOGUE,
    credentials: new MemberCredentials(makeClient(STSClient, { region }), settings.roleName, settings.externalId),
    clients: memberScanClients(settings, region),
    queueContinuation: settings.queueUrl ? continueOn(makeClient(SQSClient, { region }), settings.queueUrl) : undefined,
    now: () => new Date().toISOString(),
    logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
    metrics: new Metrics({ namespace: 'CodeCommitEndpointAuditor', serviceName: 'codecommit-endpoint-auditor' }),
  });
});
