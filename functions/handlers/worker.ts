/**
 * Worker (SQS, partial batch responses): per task assume the member role, collect the
 * account-region, evaluate, import into that account's Security Hub and alert on the
 * central SNS topic. One failing task never fails the others; a task that keeps failing
 * goes to the dead-letter queue.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CATALOGUE } from '../checks/index';
import { evaluate, incompleteScopes } from '../core/engine';
import type { Finding } from '../core/finding';
import { callerAccount } from '../aws/identity';
import { CredentialCache } from '../aws/assume';
import { clientConfig } from '../aws/clients';
import { CallCounter } from '../aws/call-counter';
import { collectScope } from '../aws/collector';
import { lambdaRegion } from '../aws/env';
import { workerSettings, type WorkerSettings } from '../aws/settings';
import { publishScan } from '../publish/index';
import { parseTaskBody } from './task';

export interface WorkerDeps {
  settings: WorkerSettings;
  region: string;
  sts: STSClient;
  sns: SNSClient | undefined;
  logger: Logger;
  metrics: Metrics;
  now?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

export function createWorkerHandler(deps: WorkerDeps) {
  const { settings, logger, metrics } = deps;
  let ownAccount: Promise<string> | undefined;

  const processTask = async (record: SQSRecord, credentials: CredentialCache): Promise<void> => {
    const task = parseTaskBody(record.body);
    logger.appendKeys({ scanId: task.scanId, accountId: task.accountId, region: task.region });
    try {
      ownAccount ??= callerAccount(deps.sts);
      const own = (await ownAccount) === task.accountId;
      const creds = own ? undefined : await credentials.get(task.accountId, task.region, task.scanId);
      const counter = new CallCounter();
      const ec2 = new EC2Client(clientConfig({ region: task.region, credentials: creds }));
      const scope = await collectScope(ec2, task.accountId, task.region, { counter });
      const findings = evaluate([scope], settings.params, CATALOGUE);
      const report = await publishScan(
        [scope],
        findings,
        {
          securityHub: () => new SecurityHubClient(clientConfig({ region: task.region, credentials: creds })),
          ...(deps.sns && settings.topicArn ? { sns: { client: deps.sns, topicArn: settings.topicArn } } : {}),
        },
        {
          now: deps.now?.() ?? new Date().toISOString(),
          checksRun: settings.params.checks,
          reportPassed: settings.reportPassed,
          counter,
          sleep: deps.sleep,
        },
      );

      countFindings(findings);
      metrics.addMetric('ApiCalls', MetricUnit.Count, counter.total());
      metrics.addMetric('AlertsSent', MetricUnit.Count, report.alertsSent);
      const incomplete = incompleteScopes([scope]);
      if (incomplete.length > 0) {
        metrics.addMetric('IncompleteScans', MetricUnit.Count, 1);
        logger.warn('scan incomplete', { reasons: scope.collectionErrors });
      }
      logger.info('task done', {
        findings: findings.length,
        alerts: report.alertsSent,
        apiCalls: counter.toJSON(),
        publishFailures: report.failures,
      });
      // Undelivered findings or alerts: fail the task so SQS delivers it again (imports are idempotent).
      if (report.failures.length > 0)
        throw new Error(`${report.failures.length} finding(s) or alert(s) not published: ${report.failures[0] ?? ''}`);
      metrics.addMetric('TasksSucceeded', MetricUnit.Count, 1);
    } finally {
      logger.removeKeys(['scanId', 'accountId', 'region']);
    }
  };

  const countFindings = (findings: readonly Finding[]): void => {
    for (const status of ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'] as const) {
      metrics.addMetric(`Findings${status}`, MetricUnit.Count, findings.filter((f) => f.status === status).length);
    }
    for (const severity of ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const) {
      metrics.addMetric(
        `Failed${severity}`,
        MetricUnit.Count,
        findings.filter((f) => f.status === 'FAILED' && f.severity === severity).length,
      );
    }
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const credentials = new CredentialCache(deps.sts, settings.roleName, settings.externalId);
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(
        event,
        async (record: SQSRecord) => {
          metrics.addMetric('Tasks', MetricUnit.Count, 1);
          try {
            await processTask(record, credentials);
          } catch (error) {
            metrics.addMetric('TaskErrors', MetricUnit.Count, 1);
            logger.error('task failed', { messageId: record.messageId, error: error as Error });
            throw error;
          }
        },
        processor,
        { ...(context ? { context } : {}), throwOnFullBatchFailure: false },
      );
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

let live: ((event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>) | undefined;
export const handler = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (!live) {
    const region = lambdaRegion();
    const settings = workerSettings();
    live = createWorkerHandler({
      settings,
      region,
      sts: new STSClient(clientConfig({ region })),
      sns: settings.topicArn ? new SNSClient(clientConfig({ region: settings.topicArn.split(':')[3] })) : undefined,
      logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
      metrics: new Metrics({ namespace: 'CodeCommitEndpointAuditor', serviceName: 'codecommit-endpoint-auditor' }),
    });
  }
  return live(event, context);
};
