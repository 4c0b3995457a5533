/**
 * AWS Config evaluations: one per resource and rule (the worst status of the rule's checks),
 * ERROR never sent as compliance (PutEvaluations has no such type: reported instead),
 * batches of ≤100, annotations ≤256 characters, failed evaluations retried then reported.
 */
import {
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type ConfigServiceClient,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import { truncate, type Finding, type NotApplicableResource } from '../core/finding';
import type { CallCounter } from '../core/call-counter';
import { sendWithRetries, splitBatches } from './batches';

export const MAX_EVALUATIONS_PER_CALL = 100;
export const MAX_ANNOTATION = 256;

type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
const RANK: Record<Compliance, number> = { NOT_APPLICABLE: 0, COMPLIANT: 1, NON_COMPLIANT: 2 };

export interface EvaluationPlan {
  evaluations: Evaluation[];
  /** Findings that could not be judged (ERROR): logged and raised, never sent. */
  errors: Finding[];
}

function key(type: string, id: string): string {
  return `${type} ${id}`;
}

/** Evaluations from findings: per resource the worst compliance over the rule's checks. */
export function planEvaluations(
  findings: readonly Finding[],
  notApplicable: readonly NotApplicableResource[],
  orderingTimestamp: Date,
): EvaluationPlan {
  const byResource = new Map<string, { type: string; id: string; compliance: Compliance; notes: string[] }>();
  const errors: Finding[] = [];
  for (const f of findings) {
    if (f.status === 'ERROR') {
      errors.push(f);
      continue;
    }
    const compliance: Compliance =
      f.status === 'FAILED' ? 'NON_COMPLIANT' : f.status === 'PASSED' ? 'COMPLIANT' : 'NOT_APPLICABLE';
    const k = key(f.resourceType, f.resourceId);
    const entry = byResource.get(k) ?? {
      type: f.resourceType,
      id: f.resourceId,
      compliance: 'NOT_APPLICABLE' as Compliance,
      notes: [],
    };
    if (RANK[compliance] > RANK[entry.compliance]) {
      entry.compliance = compliance;
      entry.notes = [];
    }
    if (compliance === entry.compliance) entry.notes.push(`${f.checkId}: ${f.message}`);
    byResource.set(k, entry);
  }
  // A resource with an ERROR for one check is not sent as compliant on the strength of the others.
  for (const f of errors) {
    const entry = byResource.get(key(f.resourceType, f.resourceId));
    if (entry && entry.compliance !== 'NON_COMPLIANT') byResource.delete(key(f.resourceType, f.resourceId));
  }
  for (const na of notApplicable) {
    if (!byResource.has(key(na.resourceType, na.resourceId)))
      byResource.set(key(na.resourceType, na.resourceId), {
        type: na.resourceType,
        id: na.resourceId,
        compliance: 'NOT_APPLICABLE',
        notes: [na.annotation],
      });
  }
  const evaluations = [...byResource.values()]
    .sort((a, b) => key(a.type, a.id).localeCompare(key(b.type, b.id)))
    .map((e) => ({
      ComplianceResourceType: e.type,
      ComplianceResourceId: e.id,
      ComplianceType: e.compliance,
      Annotation: truncate(e.notes.join(' '), MAX_ANNOTATION),
      OrderingTimestamp: orderingTimestamp,
    }));
  return { evaluations, errors };
}

/**
 * Resources this rule evaluated before (COMPLIANT or NON_COMPLIANT) that this complete periodic
 * run did not meet at all: they no longer exist. `judged` holds every resource the run met,
 * including those it could not judge (ERROR): those keep their previous evaluation.
 */
export async function staleEvaluations(
  client: ConfigServiceClient,
  ruleName: string,
  judged: Iterable<{ resourceType: string; resourceId: string }>,
  orderingTimestamp: Date,
  counter?: CallCounter,
): Promise<Evaluation[]> {
  const seen = new Set([...judged].map((r) => key(r.resourceType, r.resourceId)));
  const stale: Evaluation[] = [];
  let NextToken: string | undefined;
  do {
    counter?.add('GetComplianceDetailsByConfigRule');
    const page = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: ruleName,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken,
      }),
    );
    for (const result of page.EvaluationResults ?? []) {
      const q = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (!q?.ResourceType || !q.ResourceId || seen.has(key(q.ResourceType, q.ResourceId))) continue;
      seen.add(key(q.ResourceType, q.ResourceId));
      stale.push({
        ComplianceResourceType: q.ResourceType,
        ComplianceResourceId: q.ResourceId,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'The resource no longer exists.',
        OrderingTimestamp: orderingTimestamp,
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return stale;
}

export interface PutOutcome {
  sent: number;
  failed: { resource: string; code: string; message: string }[];
}

export async function putEvaluations(
  client: ConfigServiceClient,
  evaluations: readonly Evaluation[],
  resultToken: string,
  options: { testMode: boolean; counter?: CallCounter; sleep?: (ms: number) => Promise<void> },
): Promise<PutOutcome> {
  const result = await sendWithRetries(
    evaluations,
    (items) => splitBatches(items, MAX_EVALUATIONS_PER_CALL, Number.POSITIVE_INFINITY, () => 0),
    async (batch) => {
      options.counter?.add('PutEvaluations');
      const response = await client.send(
        new PutEvaluationsCommand({
          Evaluations: batch,
          ResultToken: resultToken,
          ...(options.testMode ? { TestMode: true } : {}),
        }),
      );
      const failed = (response.FailedEvaluations ?? []).flatMap((f) => {
        const item = batch.find(
          (e) =>
            e.ComplianceResourceId === f.ComplianceResourceId && e.ComplianceResourceType === f.ComplianceResourceType,
        );
        return item
          ? [{ item, code: 'FailedEvaluation', message: `${f.ComplianceType ?? ''} evaluation not accepted` }]
          : [];
      });
      return { succeeded: batch.length - failed.length, failed };
    },
    { sleep: options.sleep },
  );
  return {
    sent: result.succeeded,
    failed: result.failed.map((f) => ({
      resource: key(f.item.ComplianceResourceType ?? '', f.item.ComplianceResourceId ?? ''),
      code: f.code,
      message: f.message,
    })),
  };
}
