/**
 * AWS Config custom rule (one rule per check, one function for all): decode the event and the
 * rule's parameters, then evaluate and put the evaluations (jobs/config-evaluation).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeClient } from '../aws/clients';
import { decodeConfigEvent } from '../aws/config-event';
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { parseParams } from '../core/params';
import { evaluateConfigEvent, type ConfigEvaluationDeps, type ConfigRuleResult } from '../jobs/config-evaluation';
import { lambdaDeadlines, type LambdaClock } from '../jobs/deadlines';
import { lambdaRegion, sharedParameters } from '../jobs/settings';
import { lazyHandler } from './lazy';

export interface ConfigRuleDeps extends Omit<ConfigEvaluationDeps, 'log' | 'catalogue'> {
  logger: Logger;
  /** The deployment's shared parameters, under each rule's own. */
  shared?: Record<string, unknown>;
}

export function createConfigRuleHandler(deps: ConfigRuleDeps) {
  return async (event: unknown, context?: LambdaClock): Promise<ConfigRuleResult> => {
    const decoded = decodeConfigEvent(event);
    const params = parseParams({ ...deps.shared, ...decoded.ruleParameters }, CHECK_IDS);
    const log = deps.logger.createChild({
      persistentKeys: {
        rule: decoded.configRuleName,
        messageType: decoded.invoking.messageType,
        accountId: decoded.accountId,
        region: deps.region,
      },
    });
    return evaluateConfigEvent(decoded, params, {
      ...deps,
      catalogue: CATALOGUE,
      log,
      deadlines: lambdaDeadlines(context),
    });
  };
}

export const handler = lazyHandler(() => {
  const region = lambdaRegion();
  return createConfigRuleHandler({
    shared: sharedParameters(CHECK_IDS),
    ec2: makeClient(EC2Client, { region }),
    config: makeClient(ConfigServiceClient, { region }),
    region,
    logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
  });
});
