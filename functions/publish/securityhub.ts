/**
 * Security Hub publishing with a lifecycle:
 * - read this tool's ACTIVE findings for the account-region (GetFindings, paginated);
 * - import current FAILED findings, keeping CreatedAt/FirstObservedAt of existing ones;
 * - re-import previously FAILED findings that are now PASSED, not applicable or gone as
 *   PASSED + ARCHIVED (only after a complete scan, and only this tool's findings);
 * - BatchImportFindings in chunks of ≤100 findings and ≤6 MB; failed entries retried,
 *   then reported, never dropped silently.
 * The client must hold credentials of the account the findings belong to.
 */
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { CheckId, Finding, Severity } from '../core/finding';
import { awsErrorInfo } from '../core/service-errors';
import { failuresOf, sendWithRetries, splitBatches } from './batches';
import type { CallCounter } from '../core/call-counter';
import { clean, findingId, GENERATOR_PREFIX, productArn, resolvedAsff, toAsff } from './asff';
import type { Transition } from './transitions';

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
  transitions: Transition[];
  /** Set when Security Hub could not be used (not enabled, access denied). */
  unavailable?: { code: string; message: string };
}

export interface PublishOptions {
  now: string;
  reportPassed?: boolean;
  counter?: CallCounter;
  sleep?: (ms: number) => Promise<void>;
}

const NOT_ENABLED = new Set([
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

/** Rebuild enough of a finding from Security Hub to alert on a resource that is gone. */
function fromPrevious(previous: AwsSecurityFinding, scope: ScopeFindings): Finding {
  const checkId = (previous.GeneratorId ?? '').slice(GENERATOR_PREFIX.length) as CheckId;
  const resource = previous.Resources?.[0];
  const resourceId = (previous.Id ?? '').split('/').pop() ?? '';
  return {
    checkId,
    title: (previous.Title ?? '').replace(/^CCE\.\d+ /, ''),
    status: 'PASSED',
    severity: previous.Severity?.Original as Severity,
    accountId: scope.accountId,
    region: scope.region,
    resourceType: resource?.Type === 'AwsEc2Vpc' ? 'AWS::EC2::VPC' : 'AWS::EC2::VPCEndpoint',
    resourceId,
    resourceArn: resource?.Id ?? '',
    vpcId: previous.ProductFields?.['codecommit-endpoint-auditor/VpcId'] ?? '',
    message: `${resourceId} no longer exists.`,
    remediation: 'No action needed.',
  };
}

export async function publishToSecurityHub(
  client: SecurityHubClient,
  scope: ScopeFindings,
  options: PublishOptions,
): Promise<SecurityHubOutcome> {
  let previous: AwsSecurityFinding[];
  try {
    previous = await activeFindings(client, scope, options.counter);
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    if (NOT_ENABLED.has(code))
      return { enabled: false, imported: 0, archived: 0, failed: [], transitions: [], unavailable: { code, message } };
    throw error;
  }
  const previousById = new Map(previous.map((f) => [f.Id ?? '', f]));
  const ran = new Set(scope.checksRun);
  const now = options.now;
  const toImport: AwsSecurityFinding[] = [];
  const transitions: Transition[] = [];
  let archived = 0;
  const seen = new Set<string>();

  for (const finding of scope.findings) {
    const id = findingId(finding);
    seen.add(id);
    const before = previousById.get(id);
    const wasFailed = before?.Compliance?.Status === 'FAILED';
    if (finding.status === 'FAILED') {
      toImport.push(
        clean(toAsff(finding, { now, createdAt: before?.CreatedAt, firstObservedAt: before?.FirstObservedAt })),
      );
      const oldSeverity = before && previousSeverity(before);
      if (!wasFailed) transitions.push({ kind: 'NEW', finding, findingId: id });
      else if (oldSeverity !== finding.severity)
        transitions.push({ kind: 'SEVERITY_CHANGED', finding, findingId: id, previousSeverity: oldSeverity });
    } else if (wasFailed && scope.complete && (finding.status === 'PASSED' || finding.status === 'NOT_APPLICABLE')) {
      toImport.push(
        clean(
          toAsff(
            { ...finding, status: 'PASSED' },
            { now, createdAt: before.CreatedAt, firstObservedAt: before.FirstObservedAt },
            true,
          ),
        ),
      );
      archived++;
      transitions.push({ kind: 'RESOLVED', finding, findingId: id, previousSeverity: previousSeverity(before) });
    } else if (finding.status === 'PASSED' && options.reportPassed) {
      toImport.push(
        clean(toAsff(finding, { now, createdAt: before?.CreatedAt, firstObservedAt: before?.FirstObservedAt })),
      );
    }
  }

  if (scope.complete) {
    for (const before of previous) {
      const id = before.Id ?? '';
      const checkId = (before.GeneratorId ?? '').slice(GENERATOR_PREFIX.length) as CheckId;
      if (seen.has(id) || !ran.has(checkId) || before.Compliance?.Status !== 'FAILED') continue;
      toImport.push(clean(resolvedAsff(before, now, 'the resource no longer exists')));
      archived++;
      transitions.push({
        kind: 'RESOLVED',
        finding: fromPrevious(before, scope),
        findingId: id,
        previousSeverity: previousSeverity(before),
      });
    }
  }

  const { imported, failed } = await importFindings(client, toImport, options);
  return { enabled: true, imported, archived, failed, transitions };
}
