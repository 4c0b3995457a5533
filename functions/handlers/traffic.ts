/**
 * Traffic (EventBridge: CodeCommit "AWS API Call via CloudTrail" from outside endpoints): judges
 * the event, updates its caller's CCE.14 finding in the member account's Security Hub and alerts
 * on transitions (jobs/traffic). A malformed event fails with a clear message (EventBridge retries
 * the invocation, then drops it to the function's failure handling).
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { MemberCredentials } from '../aws/assume';
import { clientFactory, makeClient } from '../aws/clients';
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { lambdaRegion, workerSettings } from '../jobs/settings';
import { handleTrafficEvent, type TrafficDeps, type TrafficOutcome } from '../jobs/traffic';
import { lazyHandler } from './lazy';

export function createTrafficHandler(deps: TrafficDeps & { logger: Pick<Logger, 'info' | 'error'> }) {
  return async (event: unknown): Promise<TrafficOutcome> => {
    try {
      const outcome = await handleTrafficEvent(event, deps);
      deps.logger.info('traffic event judged', { ...outcome });
      return outcome;
    } catch (error) {
      deps.logger.error('traffic event failed', { error: error as Error });
      throw error;
    }
  };
}

export const handler = lazyHandler<unknown, TrafficOutcome, unknown>(() => {
  const region = lambdaRegion();
  const settings = workerSettings(CHECK_IDS);
  return createTrafficHandler({
    params: settings.params,
    catalogue: CATALOGUE,
    credentials: new MemberCredentials(makeClient(STSClient, { region }), settings.roleName, settings.externalId),
    securityHub: clientFactory(SecurityHubClient),
    sns: settings.topic && { client: clientFactory(SNSClient)(settings.topic.region), topicArn: settings.topic.arn },
    now: () => new Date().toISOString(),
    recent: new Map(),
    logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
  });
});
