/**
 * Security Hub publishing with a lifecycle and alerts that are never lost:
 * - read this tool's ACTIVE findings for the account-region (GetFindings, paginated);
 * - import current FAILED findings, keeping CreatedAt/FirstObservedAt of existing ones;
 * - re-import previously FAILED findings that are now PASSED, not applicable or gone as
 *   PASSED, then ARCHIVED (only after a complete scan, and only this tool's findings);
 * - alerts come from what was last *alerted* (ProductFields `…/AlertedState`), not from what was
 *   last imported: an alert is due while the finding's state differs from its alerted state; it
 *   is sent only for a finding that imported, and recorded as alerted (`confirm`) only once SNS
 *   accepted it, so an alert that failed is sent again by the next scan;
 * - BatchImportFindings in chunks of ≤100 findings and ≤6 MB; failed entries retried, then
 *   reported, never dropped silently.
 * The client must hold credentials of the account the findings belong to.
 */
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { CheckId, Finding, Severity } from '../core/finding';
import { CATALOGUE } from '../checks/index';
import { awsErrorInfo } from '../core/service-errors';
import { failuresOf, sendWithRetries, splitBatches } from './batches';
import type { CallCounter } from '../core/call-counter';
import { clean, findingId, GENERATOR_PREFIX, productArn, resolvedAsff, TOOL, toAsff } from './asff';
import { alertKey, failedState, type Transition } from './transitions';

export const MAX_FINDINGS_PER_CALL = 100;
export const MAX_BYTES_PER_CALL = 6 * 1024 * 1024;
export const MAX_FINDING_BYTES = 240 * 1024;

export interface ScopeFindings {
  accountId: string;
  region: string;
  findings: readonly Finding[];
  /** The scan of this account-region was complete: only then is anything archived. */
  complete: boolean;
  /** Checks that ran: a previous finding of a check that did not run is left alone. */
  checksRun: readonly CheckId[];
  /** Extra ProductFields for a finding (CCE.14 keeps its caller's request summary there). */
  productFields?: ((finding: Finding) => Record<string, string> | undefined) | undefined;
  /** This scope's active findings when the caller has read them already (else they are read here). */
  previous?: AwsSecurityFinding[] | undefined;
}

export interface FailedImport {
  id: string;
  code: string;
  message: string;
}

export interface SecurityHubOutcome {
  enabled: boolean;
  imported: number;
  archived: number;
  failed: FailedImport[];
  /** Alerts due, for findings that imported (each with its `key`: finding id and the state it announces). */
  transitions: Transition[];
  /** Set when Security Hub could not be used (not enabled, access denied). */
  unavailable?: { code: string; message: string };
  /** Record as alerted (and archive what was resolved) the transitions whose alerts were delivered. */
  confirm: (delivered: ReadonlySet<string>) => Promise<FailedImport[]>;
}

export interface PublishOptions {
  now: string;
  reportPassed?: boolean;
  /** Alerts go out (an SNS topic is set): alerted states then wait for delivery. */
  alerting?: boolean;
  counter?: CallCounter;
  sleep?: (ms: number) => Promise<void>;
}

/** The ProductFields key that records the last state announced by an alert. */
export const ALERTED_FIELD = `${TOOL}/AlertedState`;
const NOTHING_ALERTED = 'NONE';

/** Error codes that mean Security Hub is not enabled (or not allowed) in the account-region. */
export const NOT_ENABLED: ReadonlySet<string> = new Set([
  'InvalidAccessException',
  'AccessDeniedException',
  'AccessDenied',
  'ResourceNotFoundException',
]);

export async function activeFindings(
  client: SecurityHubClient,
  scope: { accountId: string; region: string },
  counter?: CallCounter,
): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    counter?.add('GetFindings');
    const page = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: productArn(scope.accountId, scope.region), Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
          AwsAccountId: [{ Value: scope.accountId, Comparison: 'EQUALS' }],
          Region: [{ Value: scope.region, Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        NextToken,
      }),
    );
    // Only this tool's findings, whatever the filter matched.
    found.push(
      ...(page.Findings ?? []).filter(
        (f) => f.GeneratorId?.startsWith(GENERATOR_PREFIX) && f.AwsAccountId === scope.accountId,
      ),
    );
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** Split into calls of ≤100 findings and ≤6 MB. */
export function chunkFindings(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[][] {
  return splitBatches(
    findings,
    MAX_FINDINGS_PER_CALL,
    MAX_BYTES_PER_CALL - 2,
    (f) => Buffer.byteLength(JSON.stringify(f)) + 1,
  );
}

/** Import with retries of the entries Security Hub reports as failed. */
export async function importFindings(
  client: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  options: PublishOptions,
): Promise<{ imported: number; failed: FailedImport[] }> {
  const fits = (f: AwsSecurityFinding): boolean => Buffer.byteLength(JSON.stringify(f)) <= MAX_FINDING_BYTES;
  const tooLarge: FailedImport[] = findings
    .filter((f) => !fits(f))
    .map((f) => ({ id: f.Id ?? '', code: 'FindingTooLarge', message: `larger than ${MAX_FINDING_BYTES} bytes` }));
  const result = await sendWithRetries(
    findings.filter(fits),
    chunkFindings,
    async (batch) => {
      options.counter?.add('BatchImportFindings');
      const response = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      return {
        succeeded: response.SuccessCount ?? 0,
        failed: failuresOf(
          batch,
          (f) => f.Id,
          response.FailedFindings,
          (e) => ({ id: e.Id, code: e.ErrorCode, message: e.ErrorMessage }),
        ),
      };
    },
    { sleep: options.sleep },
  );
  return {
    imported: result.succeeded,
    failed: [...tooLarge, ...result.failed.map((f) => ({ id: f.item.Id ?? '', code: f.code, message: f.message }))],
  };
}

function previousSeverity(previous: AwsSecurityFinding): Severity | undefined {
  return previous.FindingProviderFields?.Severity?.Label ?? previous.Severity?.Label;
}

/**
 * The state the last delivered alert announced: `FAILED:<severity>` or NONE. A finding imported
 * before alerted states were recorded counts as alerted in the state it was imported in.
 */
function alertedStateOf(previous: AwsSecurityFinding | undefined): string {
  if (!previous) return NOTHING_ALERTED;
  const recorded = previous.ProductFields?.[ALERTED_FIELD];
  if (recorded) return recorded;
  return previous.Compliance?.Status === 'FAILED'
    ? `FAILED:${previousSeverity(previous) ?? 'MEDIUM'}`
    : NOTHING_ALERTED;
}

function severityOfState(state: string): Severity | undefined {
  return state.startsWith('FAILED:') ? (state.slice('FAILED:'.length) as Severity) : undefined;
}

function withAlerted(record: AwsSecurityFinding, state: string, archive?: boolean): AwsSecurityFinding {
  return {
    ...record,
    ProductFields: { ...record.ProductFields, [ALERTED_FIELD]: state },
    ...(archive === undefined ? {} : { RecordState: archive ? 'ARCHIVED' : 'ACTIVE' }),
  };
}

/** One ms later than `now`: a confirmation must not be older than the import it follows. */
function later(now: string): string {
  return new Date(new Date(now).getTime() + 1).toISOString();
}

/** Checks on callers (CCE.14): a caller without requests in the window is resolved, not gone. */
const CALLER_CHECKS = new Set(CATALOGUE.filter((c) => c.resourceType === 'caller').map((c) => c.id));

const RESOURCE_TYPES: Record<string, Finding['resourceType']> = {
  AwsEc2Vpc: 'AWS::EC2::VPC',
  AwsAccount: 'AWS::::Account',
  AwsIamUser: 'AWS::IAM::User',
  AwsIamRole: 'AWS::IAM::Role',
};

/** Rebuild enough of a finding from Security Hub to alert on a resource that is gone. */
function fromPrevious(previous: AwsSecurityFinding, scope: ScopeFindings): Finding {
  const checkId = (previous.GeneratorId ?? '').slice(GENERATOR_PREFIX.length) as CheckId;
  const resource = previous.Resources?.[0];
  // The finding id ends with `/CCE.n/` and the resource id (which may hold a slash: `user/alice`).
  const id = previous.Id ?? '';
  const marker = `/${checkId}/`;
  const resourceId = id.includes(marker) ? id.slice(id.indexOf(marker) + marker.length) : (id.split('/').pop() ?? '');
  return {
    checkId,
    title: (previous.Title ?? '').replace(/^CCE\.\d+ /, ''),
    status: 'PASSED',
    severity: previous.Severity?.Original as Severity,
    accountId: scope.accountId,
    region: scope.region,
    resourceType: RESOURCE_TYPES[resource?.Type ?? ''] ?? 'AWS::EC2::VPCEndpoint',
    resourceId,
    resourceArn: resource?.Id ?? '',
    vpcId: previous.ProductFields?.['codecommit-endpoint-auditor/VpcId'] ?? '',
    message: CALLER_CHECKS.has(checkId)
      ? `${resourceId} made no CodeCommit request from outside your endpoints in the look-back window.`
      : `${resourceId} no longer exists.`,
    remediation: 'No action needed.',
  };
}

/** The transition from what was alerted to what is now true, or undefined when they agree. */
function transitionOf(alerted: string, desired: string, finding: Finding, id: string): Transition | undefined {
  if (alerted === desired) return undefined;
  const key = alertKey(id, desired);
  const previousSeverity = severityOfState(alerted);
  if (desired === NOTHING_ALERTED) return { kind: 'RESOLVED', finding, findingId: id, key, previousSeverity };
  if (alerted === NOTHING_ALERTED) return { kind: 'NEW', finding, findingId: id, key };
  return { kind: 'SEVERITY_CHANGED', finding, findingId: id, key, previousSeverity };
}

export async function publishToSecurityHub(
  client: SecurityHubClient,
  scope: ScopeFindings,
  options: PublishOptions,
): Promise<SecurityHubOutcome> {
  const nothing = async (): Promise<FailedImport[]> => Promise.resolve([]);
  let previous: AwsSecurityFinding[];
  const asffOf = (finding: Finding, times: Parameters<typeof toAsff>[1]): AwsSecurityFinding => {
    const record = clean(toAsff(finding, times));
    const extra = scope.productFields?.(finding);
    return extra ? { ...record, ProductFields: { ...record.ProductFields, ...extra } } : record;
  };
  try {
    previous = scope.previous ?? (await activeFindings(client, scope, options.counter));
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    if (NOT_ENABLED.has(code)) {
      const unavailable = { code, message };
      return { enabled: false, imported: 0, archived: 0, failed: [], transitions: [], unavailable, confirm: nothing };
    }
    throw error;
  }
  const previousById = new Map(previous.map((f) => [f.Id ?? '', f]));
  const ran = new Set(scope.checksRun);
  const { now } = options;
  const alerting = options.alerting ?? false;
  const toImport: AwsSecurityFinding[] = [];
  /** Due alerts, each with the record that says it was delivered. */
  const due: { transition: Transition; confirmed: AwsSecurityFinding }[] = [];
  let archived = 0;
  const seen = new Set<string>();

  /** Import `record`; when an alert is due and goes out, record it as alerted only after delivery. */
  const plan = (
    record: AwsSecurityFinding,
    transition: Transition | undefined,
    alerted: string,
    desired: string,
    resolved: boolean,
  ): void => {
    if (transition && alerting) {
      // Until the alert is delivered, the finding keeps its alerted state (and stays ACTIVE if resolved).
      toImport.push(withAlerted(record, alerted, false));
      due.push({ transition, confirmed: withAlerted({ ...record, UpdatedAt: later(now) }, desired, resolved) });
      return;
    }
    if (transition) due.push({ transition, confirmed: record });
    toImport.push(withAlerted(record, desired, resolved));
    if (resolved) archived++;
  };

  for (const finding of scope.findings) {
    const id = findingId(finding);
    seen.add(id);
    const before = previousById.get(id);
    const times = { now, createdAt: before?.CreatedAt, firstObservedAt: before?.FirstObservedAt };
    const alerted = alertedStateOf(before);
    if (finding.status === 'FAILED') {
      const desired = failedState(finding.severity);
      plan(asffOf(finding, times), transitionOf(alerted, desired, finding, id), alerted, desired, false);
    } else if (
      before &&
      scope.complete &&
      (finding.status === 'PASSED' || finding.status === 'NOT_APPLICABLE') &&
      (before.Compliance?.Status === 'FAILED' || alerted !== NOTHING_ALERTED)
    ) {
      const record = asffOf({ ...finding, status: 'PASSED' }, times);
      plan(record, transitionOf(alerted, NOTHING_ALERTED, finding, id), alerted, NOTHING_ALERTED, true);
    } else if (finding.status === 'PASSED' && options.reportPassed) {
      toImport.push(withAlerted(asffOf(finding, times), alerted));
    } else if (finding.status === 'ERROR') {
      // Shown as NOT_AVAILABLE with its reason; a FAILED verdict already there stands until a scan can judge again.
      if (before?.Compliance?.Status !== 'FAILED') toImport.push(withAlerted(asffOf(finding, times), alerted));
    } else if (before?.Compliance?.Status === 'NOT_AVAILABLE') {
      // Judged again after an ERROR: the ERROR record is archived (no alert: nothing was alerted).
      plan(asffOf({ ...finding, status: 'PASSED' }, times), undefined, alerted, alerted, true);
    }
  }

  // A check that could not read its data at all (ERROR on '*') says nothing of what is gone.
  const blind = new Set(scope.findings.filter((f) => f.resourceId === '*').map((f) => f.checkId));
  if (scope.complete) {
    for (const before of previous) {
      const id = before.Id ?? '';
      const checkId = (before.GeneratorId ?? '').slice(GENERATOR_PREFIX.length) as CheckId;
      if (seen.has(id) || !ran.has(checkId) || blind.has(checkId)) continue;
      const alerted = alertedStateOf(before);
      const gone = CALLER_CHECKS.has(checkId)
        ? 'no request from outside your endpoints in the look-back window'
        : 'the resource no longer exists';
      const record = clean(resolvedAsff(before, now, gone));
      const transition = transitionOf(alerted, NOTHING_ALERTED, fromPrevious(before, scope), id);
      plan(record, transition, alerted, NOTHING_ALERTED, true);
    }
  }

  const { imported, failed } = await importFindings(client, toImport, options);
  // No alert for a finding that did not import: it would link to nothing, and the next scan sends it.
  const refused = new Set(failed.map((f) => f.id));
  const sendable = due.filter((d) => !refused.has(d.transition.findingId));
  return {
    enabled: true,
    imported,
    archived,
    failed,
    transitions: sendable.map((d) => d.transition),
    confirm: async (delivered) => {
      if (!alerting) return [];
      const confirmations = sendable.filter((d) => delivered.has(d.transition.key)).map((d) => d.confirmed);
      return (await importFindings(client, confirmations, options)).failed;
    },
  };
}
