/**
 * AWS Config custom rule (one rule per check, one function for all): decode the event,
 * collect what it concerns, evaluate, put the evaluations. Thin by design.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import { CATALOGUE } from '../checks/index';
import { evaluate, incompleteScopes } from '../core/engine';
import { parseParams } from '../core/params';
import { clientConfig } from '../aws/clients';
import { CallCounter } from '../aws/call-counter';
import { decodeConfigEvent } from '../aws/config-event';
import { gatherConfigWork } from '../aws/config-rule';
import { lambdaRegion } from '../aws/env';
import { planEvaluations, putEvaluations, staleEvaluations } from '../publish/config';

export interface ConfigRuleDeps {
  ec2: EC2Client;
  config: ConfigServiceClient;
  region: string;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConfigRuleResult {
  rule: string;
  messageType: string;
  evaluations: { resourceType: string; resourceId: string; complianceType: string; annotation: string }[];
  apiCalls: Record<string, number>;
}

export class EvaluationFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationFailedError';
  }
}

export function createConfigRuleHandler(deps: ConfigRuleDeps) {
  return async (event: unknown): Promise<ConfigRuleResult> => {
    const decoded = decodeConfigEvent(event);
    const params = parseParams(decoded.ruleParameters);
    const counter = new CallCounter();
    deps.logger.appendKeys({
      rule: decoded.configRuleName,
      messageType: decoded.invoking.messageType,
      accountId: decoded.accountId,
      region: deps.region,
    });

    const work = await gatherConfigWork(decoded, { ec2: deps.ec2, config: deps.config, region: deps.region, counter });
    const findings = work.inventory ? evaluate([work.inventory], params, CATALOGUE) : [];
    const judged = new Set(CATALOGUE.filter((c) => params.checks.includes(c.id)).map((c) => c.resourceType));
    const plan = planEvaluations(
      findings,
      work.notApplicable.filter((na) => judged.has(na.resourceType)),
      work.orderingTimestamp,
    );

    let evaluations = plan.evaluations;
    const complete = work.inventory !== undefined && incompleteScopes([work.inventory]).length === 0;
    if (work.periodic && complete) {
      evaluations = [
        ...evaluations,
        ...(await staleEvaluations(deps.config, decoded.configRuleName, evaluations, work.orderingTimestamp, counter)),
      ];
    }
    const outcome = await putEvaluations(deps.config, evaluations, decoded.resultToken, {
      testMode: decoded.testMode,
      counter,
      sleep: deps.sleep,
    });
    deps.logger.info('evaluations put', {
      sent: outcome.sent,
      failed: outcome.failed.length,
      errors: plan.errors.length,
      apiCalls: counter.toJSON(),
    });

    const problems = [
      ...plan.errors.map((f) => `${f.checkId} ${f.resourceId}: ${f.message}`),
      ...outcome.failed.map((f) => `PutEvaluations rejected ${f.resource}: ${f.message}`),
    ];
    for (const problem of problems) deps.logger.error('not evaluated', { problem });
    if (problems.length > 0)
      throw new EvaluationFailedError(
        `${problems.length} evaluation(s) could not be made or sent: ${problems.slice(0, 3).join(' | ')}`,
      );

    return {
      rule: decoded.configRuleName,
      messageType: decoded.invoking.messageType,
      evaluations: evaluations.map((e) => ({
        resourceType: e.ComplianceResourceType ?? '',
        resourceId: e.ComplianceResourceId ?? '',
        complianceType: e.ComplianceType ?? '',
        annotation: e.Annotation ?? '',
      })),
      apiCalls: counter.toJSON(),
    };
  };
}

// Clients are created once per container, on the first event (so a missing AWS_REGION is a clear error, not a crash at import).
let live: ((event: unknown) => Promise<ConfigRuleResult>) | undefined;
export const handler = (event: unknown): Promise<ConfigRuleResult> => {
  if (!live) {
    const region = lambdaRegion();
    live = createConfigRuleHandler({
      ec2: new EC2Client(clientConfig({ region })),
      config: new ConfigServiceClient(clientConfig({ region })),
      region,
      logger: new Logger({ serviceName: 'codecommit-endpoint-auditor' }),
    });
  }
  return live(event);
};
