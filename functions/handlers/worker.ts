/**
 * Worker (SQS FIFO, partial batch responses): one scan task per record (jobs/scan-task). A failing
 * task never fails the others; one that keeps failing goes to the dead-letter queue.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { MemberCredentials } from '../aws/assume';
import { clientFactory, makeClient } from '../aws/clients';
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { lambdaDeadlines } from '../jobs/deadlines';
import { processTaskBatch, runScanRecord, type ScanTaskDeps } from '../jobs/scan-task';
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
    clients: {
      ec2: clientFactory(EC2Client),
      iam: clientFactory(IAMClient),
      securityHub: clientFactory(SecurityHubClient),
      sns: settings.topic && { client: clientFactory(SNSClient)(settings.topic.region), topicArn: settings.topic.arn },
    },
    now: () => new Date().toISOString(),
    logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
    metrics: new Metrics({ namespace: 'CodeCommitEndpointAuditor', serviceName: 'codecommit-endpoint-auditor' }),
  });
});
