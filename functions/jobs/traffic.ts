/**
 * Live detection (CCE.14 as it happens): one CodeCommit event as EventBridge delivers it ("AWS API
 * Call via CloudTrail", from this account's trail or forwarded by a member account's rule) is
 * judged; a request from outside your endpoints and networks updates its caller's finding in the
 * member account's Security Hub (counts added to what the last scan or event recorded) and alerts
 * on SNS on transitions only, as scans do. A caller already FAILED at this severity is not
 * touched again for an hour by the same container, so a busy pusher costs no call per push.
 */
import { GetFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { MemberCredentials } from '../aws/assume';
import type { ClientFactory } from '../aws/clients';
import { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { evaluate } from '../core/engine';
import { AuditorError, DeliveryError } from '../core/errors';
import { severityRank, type Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { describeValue } from '../core/json';
import type { Params } from '../core/params';
import { isRegionCode } from '../core/regions';
import { awsErrorInfo } from '../core/service-errors';
import {
  ACTIVITY_FIELD,
  activityField,
  activityFromField,
  readTrafficEvent,
  routeOf,
  TrafficAccumulator,
  type Principal,
  type PrincipalActivity,
  type Route,
  type TrafficEvent,
} from '../core/traffic';
import { findingId, productArn } from '../publish/asff';
import { publishScan, type PublishReport } from '../publish/index';
import { NOT_ENABLED } from '../publish/securityhub';

export const DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const EVENT_SOURCE = 'aws.codecommit';
/** A caller already FAILED at this severity is not updated again for this long (per container). */
export const QUIET_MS = 60 * 60 * 1000;
const MAX_RECENT = 10_000;

export class TrafficEventError extends AuditorError {}

/** An EventBridge event's parts this function reads. */
export interface CodeCommitApiEvent {
  id: string;
  account: string;
  region: string;
  detail: Record<string, unknown>;
}

/** The EventBridge envelope, checked: a clear error names what is wrong. */
export function parseTrafficEvent(event: unknown): CodeCommitApiEvent {
  const value = event as Record<string, unknown> | null | undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new TrafficEventError(`not an EventBridge event: expected an object, got ${describeValue(event)}`);
  if (value['detail-type'] !== DETAIL_TYPE)
    throw new TrafficEventError(
      `not a CloudTrail API event: detail-type is ${describeValue(value['detail-type'])}, expected "${DETAIL_TYPE}"`,
    );
  const detail = value.detail as Record<string, unknown> | undefined;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail))
    throw new TrafficEventError(`the event has no detail object (${describeValue(value.detail)})`);
  if (detail.eventSource !== 'codecommit.amazonaws.com')
    throw new TrafficEventError(
      `not a CodeCommit event: detail.eventSource is ${describeValue(detail.eventSource)}, expected "codecommit.amazonaws.com"`,
    );
  const account = typeof detail.recipientAccountId === 'string' ? detail.recipientAccountId : value.account;
  if (typeof account !== 'string' || !/^\d{12}$/.test(account))
    throw new TrafficEventError(`the event names no 12-digit account (${describeValue(account)})`);
  const region = typeof detail.awsRegion === 'string' ? detail.awsRegion : value.region;
  if (typeof region !== 'string' || !isRegionCode(region))
    throw new TrafficEventError(`the event names no AWS region (${describeValue(region)})`);
  return { id: typeof value.id === 'string' ? value.id : '', account, region, detail };
}

/** What one event says, and the finding its caller gets when the event is all there is. */
export interface TrafficJudgement {
  event: CodeCommitApiEvent;
  record: TrafficEvent;
  principal: Principal | undefined;
  route: Route;
  /** The caller's CCE.14 finding (with `previous` requests added when given), and its request summary. */
  finding: Finding | undefined;
  activity: PrincipalActivity | undefined;
}

function inventoryOf(
  event: CodeCommitApiEvent,
  accumulated: TrafficAccumulator,
  start: string,
  end: string,
): ScopeInventory {
  return {
    accountId: event.account,
    region: event.region,
    vpcs: [],
    vpcEndpoints: [],
    cloudTrailEvents: [],
    // From the first request recorded to this one: the finding speaks of the requests seen, not of a look-back.
    cloudTrailWindow: { StartTime: start, EndTime: end },
    trafficCarried: accumulated.summary(),
  };
}

/** Judge one event (no AWS call): its route, and its caller's finding, added to `previous` requests. */
export function judgeTrafficEvent(
  event: CodeCommitApiEvent,
  params: Params,
  catalogue: readonly Check[],
  previous?: AwsSecurityFinding,
): TrafficJudgement {
  const record = readTrafficEvent(event.detail, event.account);
  if (typeof record === 'string') throw new TrafficEventError(`the CloudTrail record cannot be judged: ${record}`);
  const route = routeOf(record, { cidrs: params.trustedCidrs, accounts: params.trustedAccounts }, event.account);
  const principal = record.principal;
  if (!principal) return { event, record, principal, route, finding: undefined, activity: undefined };
  const accumulated = new TrafficAccumulator(event.account, params.trustedCidrs, undefined, params.trustedAccounts);
  const before = activityFromField(previous?.ProductFields?.[ACTIVITY_FIELD], principal);
  if (before) accumulated.addSummary({ principals: [before], unreadable: 0 });
  accumulated.add(event.detail, `event ${event.id}`);
  const start = before?.firstOutside && before.firstOutside < record.eventTime ? before.firstOutside : record.eventTime;
  const checks = catalogue.filter((c) => c.resourceType === 'caller').map((c) => c.id);
  const findings = evaluate(
    [inventoryOf(event, accumulated, start, record.eventTime)],
    { ...params, checks },
    catalogue,
  );
  return {
    event,
    record,
    principal,
    route,
    finding: findings.find((f) => f.resourceId === principal.id),
    activity: accumulated.summary().principals.find((a) => a.principal.id === principal.id),
  };
}

export interface TrafficDeps {
  params: Params;
  catalogue: readonly Check[];
  credentials: MemberCredentials;
  securityHub: ClientFactory<SecurityHubClient>;
  sns?: { client: SNSClient; topicArn: string } | undefined;
  now: () => string;
  /** Callers recently updated: `account/region/principal` → when and at which severity (per container). */
  recent: Map<string, { at: number; severity: Finding['severity'] }>;
}

export interface TrafficOutcome {
  route: Route;
  principal: string | undefined;
  sourceIPAddress: string;
  status: Finding['status'] | undefined;
  severity?: Finding['severity'];
  /** What was done: nothing to do, suppressed (updated in the last hour), or published. */
  action: 'none' | 'suppressed' | 'published';
  alertsSent?: number;
  failures?: string[];
}

/** The caller's current finding, by id (one GetFindings call). */
async function previousFinding(client: SecurityHubClient, finding: Finding): Promise<AwsSecurityFinding | undefined> {
  const page = await client.send(
    new GetFindingsCommand({
      Filters: {
        Id: [{ Value: findingId(finding), Comparison: 'EQUALS' }],
        ProductArn: [{ Value: productArn(finding.accountId, finding.region), Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
      MaxResults: 1,
    }),
  );
  return page.Findings?.[0];
}

export async function handleTrafficEvent(raw: unknown, deps: TrafficDeps): Promise<TrafficOutcome> {
  const event = parseTrafficEvent(raw);
  const first = judgeTrafficEvent(event, deps.params, deps.catalogue);
  const outcome: TrafficOutcome = {
    route: first.route,
    principal: first.principal?.arn,
    sourceIPAddress: first.record.sourceIPAddress,
    status: first.finding?.status,
    action: 'none',
  };
  // Only a request from outside changes a finding: the scans judge the rest.
  if (first.route !== 'outside' || !first.finding) return outcome;
  const key = `${event.account}/${event.region}/${first.finding.resourceId}`;
  const recent = deps.recent.get(key);
  if (
    recent &&
    Date.now() - recent.at < QUIET_MS &&
    severityRank(recent.severity) >= severityRank(first.finding.severity)
  ) {
    return { ...outcome, severity: first.finding.severity, action: 'suppressed' };
  }
  const credentials = await deps.credentials.for(event.account, event.region, `traffic-${event.id}`);
  const client = deps.securityHub(event.region, credentials);
  const counter = new CallCounter();
  counter.add('GetFindings');
  let previous: AwsSecurityFinding | undefined;
  let read = true;
  try {
    previous = await previousFinding(client, first.finding);
  } catch (error) {
    // Security Hub off in that account: nothing to add to, and publishing finds it off (a digest alert).
    if (!NOT_ENABLED.has(awsErrorInfo(error).code)) throw error;
    read = false;
  }
  const judged = judgeTrafficEvent(event, deps.params, deps.catalogue, previous);
  const finding = judged.finding ?? first.finding;
  const activity = judged.activity;
  const report: PublishReport = await publishScan(
    [{ accountId: event.account, region: event.region, vpcs: [], vpcEndpoints: [] }],
    [finding],
    { securityHub: () => client, ...(deps.sns ? { sns: deps.sns } : {}) },
    {
      now: deps.now(),
      // No check "ran" over the account-region: nothing else is archived or resolved.
      checksRun: [],
      ...(read ? { previous: previous ? [previous] : [] } : {}),
      productFields: () => (activity ? { [ACTIVITY_FIELD]: activityField(activity) } : undefined),
      counter,
    },
  );
  // Not delivered: fail the invocation, so Lambda tries again and then keeps the event in the dead-letter queue.
  if (report.failures.length > 0)
    throw new DeliveryError(
      `${report.failures.length} finding(s) or alert(s) not published: ${report.failures[0] ?? ''}`,
    );
  // Callers quiet for an hour are forgotten, so a long-lived container's memory stays bounded.
  if (deps.recent.size >= MAX_RECENT)
    for (const [k, v] of deps.recent) if (Date.now() - v.at >= QUIET_MS) deps.recent.delete(k);
  deps.recent.set(key, { at: Date.now(), severity: finding.severity });
  return {
    ...outcome,
    status: finding.status,
    severity: finding.severity,
    action: 'published',
    alertsSent: report.alertsSent,
    failures: report.failures,
  };
}
