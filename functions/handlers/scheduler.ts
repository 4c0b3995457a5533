/**
 * Scheduler (EventBridge schedule): plan the scan (target accounts × regions) and queue one
 * task per account-region (jobs/schedule).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeClient } from '../aws/clients';
import { lambdaDeadlines, within, type LambdaClock } from '../jobs/deadlines';
import { scanIdOf, scheduleScan, type ScheduleClients, type ScheduleResult } from '../jobs/schedule';
import { lambdaRegion, schedulerSettings, type SchedulerSettings } from '../jobs/settings';
import { lazyHandler } from './lazy';

export interface SchedulerDeps {
  settings: SchedulerSettings;
  clients: ScheduleClients;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export function createSchedulerHandler(deps: SchedulerDeps) {
  return async (event: unknown, context?: LambdaClock): Promise<ScheduleResult> => {
    const scanId = scanIdOf(event);
    const log = deps.logger.createChild({ persistentKeys: { scanId } });
    return within(lambdaDeadlines(context)?.publish, 'scheduling', () =>
      scheduleScan(scanId, deps.settings, deps.clients, { log, sleep: deps.sleep }),
    );
  };
}

export const handler = lazyHandler(() => {
  const config = { region: lambdaRegion() };
  return createSchedulerHandler({
    settings: schedulerSettings(),
    clients: {
      sqs: makeClient(SQSClient, config),
      organizations: makeClient(OrganizationsClient, config),
      sts: makeClient(STSClient, config),
      ec2: makeClient(EC2Client, config),
    },
    logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
  });
});
