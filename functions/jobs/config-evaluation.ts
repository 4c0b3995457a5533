/**
 * An AWS Config rule invocation: gather what the event concerns, evaluate it with the rule's
 * checks, plan one evaluation per resource (ERROR never sent as compliance), clear stale
 * results on complete periodic runs, put the evaluations, and raise what could not be sent.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { DecodedConfigEvent } from '../aws/config-event';
import { gatherConfigWork } from '../aws/config-rule';
import { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { evaluate, incompleteScopes } from '../core/engine';
import { EvaluationFailedError } from '../core/errors';
import type { Params } from '../core/params';
import { planEvaluations, putEvaluations, staleEvaluations } from '../publish/config';
import { within, type Deadlines } from './deadlines';

export interface ConfigEvaluationDeps {
  ec2: EC2Client;
  config: ConfigServiceClient;
  region: string;
  catalogue: readonly Check[];
  log: {
    info(message: string, extra: Record<string, unknown>): void;
    error(message: string, extra: Record<string, unknown>): void;
  };
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** When gathering and putting evaluations must end (jobs/deadlines). */
  deadlines?: Deadlines | undefined;
}

export interface ConfigRuleResult {
  rule: string;
  messageType: string;
  evaluations: { resourceType: string; resourceId: string; complianceType: string; annotation: string }[];
  apiCalls: Record<string, number>;
}

export async function evaluateConfigEvent(
  event: DecodedConfigEvent,
  params: Params,
  deps: ConfigEvaluationDeps,
): Promise<ConfigRuleResult> {
  const counter = new CallCounter();
  const { deadlines } = deps;
  const work = await within(deadlines?.collect, 'collection', () =>
    gatherConfigWork(event, { ec2: deps.ec2, config: deps.config, region: deps.region, counter }),
  );
  const findings = work.inventory ? evaluate([work.inventory], params, deps.catalogue) : [];
  // Answer for resource types this rule's checks judge, and for types no check judges (out of scope).
  const ruleTypes = new Set<string>(
    deps.catalogue.filter((c) => params.checks.includes(c.id)).map((c) => c.resourceType),
  );
  const anyTypes = new Set<string>(deps.catalogue.map((c) => c.resourceType));
  const notApplicable = work.notApplicable.filter(
    (na) => ruleTypes.has(na.resourceType) || !anyTypes.has(na.resourceType),
  );
  const plan = planEvaluations(findings, notApplicable, work.orderingTimestamp);

  let evaluations = plan.evaluations;
  const complete = work.inventory !== undefined && incompleteScopes([work.inventory]).length === 0;
  if (work.periodic && complete) {
    // Every resource the run met, judged or not (ERROR), is kept; only the ones it never met are swept.
    const met = [...findings, ...notApplicable];
    const stale = await within(deadlines?.collect, 'collection', () =>
      staleEvaluations(deps.config, event.configRuleName, met, work.orderingTimestamp, counter),
    );
    evaluations = [...evaluations, ...stale];
  }
  const outcome = await within(deadlines?.publish, 'publishing', () =>
    putEvaluations(deps.config, evaluations, event.resultToken, {
      testMode: event.testMode,
      counter,
      sleep: deps.sleep,
    }),
  );
  deps.log.info('evaluations put', {
    sent: outcome.sent,
    failed: outcome.failed.length,
    errors: plan.errors.length,
    apiCalls: counter.toJSON(),
  });

  const problems = [
    ...plan.errors.map((f) => `${f.checkId} ${f.resourceId}: ${f.message}`),
    ...outcome.failed.map((f) => `PutEvaluations rejected ${f.resource}: ${f.message}`),
  ];
  for (const problem of problems) deps.log.error('not evaluated', { problem });
  if (problems.length > 0) {
    throw new EvaluationFailedError(
      `${problems.length} evaluation(s) could not be made or sent: ${problems.slice(0, 3).join(' | ')}`,
    );
  }
  return {
    rule: event.configRuleName,
    messageType: event.invoking.messageType,
    evaluations: evaluations.map((e) => ({
      resourceType: e.ComplianceResourceType ?? '',
      resourceId: e.ComplianceResourceId ?? '',
      complianceType: e.ComplianceType ?? '',
      annotation: e.Annotation ?? '',
    })),
    apiCalls: counter.toJSON(),
  };
}
