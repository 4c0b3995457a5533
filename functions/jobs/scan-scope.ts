/**
 * One account-region, end to end: collect → evaluate → publish. The worker runs it per queued
 * task, the CLI's live scan per region; both wire the clients and print or log the outcome.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, ClientFactory } from '../aws/clients';
import { collectScope } from '../aws/collector';
import { collectIam } from '../aws/iam';
import { lookupCodeCommitEvents } from '../aws/cloudtrail';
import { mayUseGitFromOutside } from '../checks/cce-13';
import { isAccountLevel } from '../core/check';
import { partitionOf } from '../core/regions';
import { awsErrorInfo } from '../core/service-errors';
import type { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { evaluate, incompleteScopes } from '../core/engine';
import type { CheckId, Finding } from '../core/finding';
import type {
  CloudTrailEventItem,
  CloudTrailWindow,
  CollectionError,
  OrganizationData,
  ScopeInventory,
} from '../core/inventory';
import { ACTIVITY_FIELD, activityField, TrafficAccumulator, type TrafficSummary } from '../core/traffic';
import { trafficOf } from '../core/scope';
import type { Params } from '../core/params';
import { publishScan, type PublishReport } from '../publish/index';
import { endpointPolicyLookup } from '../publish/html-report';
import { reportMeta } from '../publish/report-meta';
import {
  reportNotWritten,
  writeReport,
  type ReportOutcome,
  type ReportPlace,
  type ReportStore,
} from '../publish/scan-report';
import { within, type Deadlines } from './deadlines';

/** Whether a check reads CloudTrail (CCE.14). */
export function readsTraffic(catalogue: readonly Check[], id: CheckId): boolean {
  return catalogue.some((c) => c.id === id && c.needs.includes('cloudTrailEvents'));
}

export interface ScanClients {
  ec2: ClientFactory<EC2Client>;
  /** Set to import findings into the scanned account's Security Hub. */
  securityHub?: ClientFactory<SecurityHubClient> | undefined;
  /** Set to send alerts (topic in the auditor's account, caller's own credentials). */
  sns?: { client: SNSClient; topicArn: string } | undefined;
  /** IAM, for the account-level checks (CCE.13, and CCE.12 in a management account). */
  iam?: ClientFactory<IAMClient> | undefined;
  /** CloudTrail, for CCE.14 (without it, CCE.14 is not run). */
  cloudTrail?: ClientFactory<CloudTrailClient> | undefined;
  /** Set to write each scope's HTML and CSV report (the worker: to the auditor's S3 bucket, with its own credentials). */
  reports?: ReportStore | undefined;
}

/** The CloudTrail part of a scope: which window, and where earlier tasks left off. */
export interface TrafficInput {
  window: CloudTrailWindow;
  /** The page to go on from, and what the pages before it summed up to. */
  nextToken?: string | undefined;
  carried?: TrafficSummary | undefined;
  /** Pages read by earlier tasks. */
  pages?: number | undefined;
  /** Keep every event in the inventory (the CLI, for --save-inventory); else only the summary per principal. */
  keepEvents?: boolean | undefined;
  /** Stop paging at the collection deadline and hand back the page token (a queue to continue on exists). */
  canContinue?: boolean | undefined;
}

/** CloudTrail pages left when the time ran out: the next task goes on from here. */
export interface TrafficPending {
  window: CloudTrailWindow;
  nextToken: string;
  carried: TrafficSummary;
  pages: number;
}

/** The account-level checks run on this scope: the organization's data, as read by the scheduler (or the CLI). */
export interface AccountLevelInput {
  /** undefined: not read (see `organizationError`); null: the account belongs to no organization. */
  organization: OrganizationData | null | undefined;
  organizationError?: Omit<CollectionError, 'data'> | undefined;
}

export interface ScanScopeOptions {
  params: Params;
  catalogue: readonly Check[];
  counter: CallCounter;
  /** The member account's credentials; undefined for the caller's own account. */
  credentials?: AwsCredentialIdentity | undefined;
  /** Now, ISO 8601, for Security Hub timestamps. */
  now: string;
  reportPassed?: boolean | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** When collection and publishing must end (jobs/deadlines); none: only each call's own limits. */
  deadlines?: Deadlines | undefined;
  /** Set on the one scope per account that answers for the account (CCE.12, CCE.13). */
  accountLevel?: AccountLevelInput | undefined;
  /** The CloudTrail window for CCE.14 (with `clients.cloudTrail`). */
  traffic?: TrafficInput | undefined;
  /** Only CloudTrail (a continued task): no EC2 or IAM collection, only CCE.14 judged and published. */
  trafficOnly?: boolean | undefined;
  /** The scan this scope belongs to, which names its report (with `clients.reports`). */
  scanId?: string | undefined;
}

/** Add the account-level data to the scope: the organization as given, the account's IAM as read now. */
async function collectAccountLevel(
  inventory: ScopeInventory,
  input: AccountLevelInput,
  clients: ScanClients,
  options: ScanScopeOptions,
): Promise<void> {
  const errors = (inventory.collectionErrors ??= []);
  if (input.organizationError) errors.push({ data: 'organization', ...input.organizationError });
  else if (input.organization !== undefined) inventory.organization = input.organization;
  if (!clients.iam) {
    errors.push({
      data: 'iam',
      operation: 'GetAccountAuthorizationDetails',
      code: 'NotCollected',
      message: 'no IAM client',
    });
    return;
  }
  const where = {
    accountId: inventory.accountId,
    region: inventory.region,
    partition: partitionOf(inventory.region),
    params: options.params,
  };
  const counter = options.counter;
  try {
    inventory.iam = await collectIam(clients.iam(inventory.region, options.credentials), {
      needsSshKeys: (user, data) => mayUseGitFromOutside(data, user, where),
      counter,
    });
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    errors.push({ data: 'iam', operation: counter.last ?? 'GetAccountAuthorizationDetails', code, message });
  }
  if (errors.length === 0) delete inventory.collectionErrors;
}

export interface ScopeScan {
  inventory: ScopeInventory;
  findings: Finding[];
  /** Why the collection was incomplete, if it was (exit code 3, no archiving). */
  incomplete: string | undefined;
  /** What publishing did, when a target was given. */
  published: PublishReport | undefined;
  /** CloudTrail pages left for another task (CCE.14 then waits for them). */
  trafficPending: TrafficPending | undefined;
  /** The report written to S3, or why it was not; undefined when none was asked for. */
  report: ReportOutcome | undefined;
}

/** Read the window's CodeCommit events into the inventory, until done or `stopAt`. */
async function collectTraffic(
  inventory: ScopeInventory,
  client: CloudTrailClient,
  input: TrafficInput,
  options: ScanScopeOptions,
  stopAt: number | undefined,
): Promise<TrafficPending | undefined> {
  inventory.cloudTrailWindow = input.window;
  const kept: CloudTrailEventItem[] = [];
  const sum = new TrafficAccumulator(
    inventory.accountId,
    options.params.trustedCidrs,
    input.carried,
    options.params.trustedAccounts,
  );
  let position = 0;
  let pagesRead = 0;
  try {
    const result = await lookupCodeCommitEvents(client, {
      window: input.window,
      nextToken: input.nextToken,
      counter: options.counter,
      stopAt,
      sleep: options.sleep,
      onPage: (items) => {
        pagesRead++;
        if (input.keepEvents) kept.push(...items);
        else for (const item of items) sum.add(item.CloudTrailEvent, `event ${item.EventId ?? `#${position++}`}`);
      },
    });
    if (input.keepEvents) inventory.cloudTrailEvents = kept;
    else {
      inventory.cloudTrailEvents = [];
      inventory.trafficCarried = sum.summary();
    }
    if (result.nextToken === undefined) return undefined;
    return {
      window: input.window,
      nextToken: result.nextToken,
      carried: inventory.trafficCarried ?? sum.summary(),
      pages: (input.pages ?? 0) + result.pages,
    };
  } catch (error) {
    const { code, message: reason } = awsErrorInfo(error);
    // Out of time: say how far it got and what reads the rest.
    const message =
      code === 'TimedOut'
        ? `${reason} after ${pagesRead} page(s) of 50 events; a shorter look-back (--since, trafficLookbackHours) or more time (--timeout) reads them all`
        : reason;
    delete inventory.cloudTrailEvents;
    delete inventory.trafficCarried;
    (inventory.collectionErrors ??= []).push({ data: 'cloudTrailEvents', operation: 'LookupEvents', code, message });
    return undefined;
  }
}

/** The request summary each CCE.14 finding keeps in Security Hub, so live detection can add to it. */
export function callerFields(
  inventory: ScopeInventory,
  params: Params,
  catalogue: readonly Check[],
): ((finding: Finding) => Record<string, string> | undefined) | undefined {
  const summary = trafficOf(inventory, params);
  if (!summary) return undefined;
  const byId = new Map(summary.principals.map((a) => [a.principal.id, a]));
  return (finding) => {
    const activity = readsTraffic(catalogue, finding.checkId) ? byId.get(finding.resourceId) : undefined;
    return activity && { [ACTIVITY_FIELD]: activityField(activity) };
  };
}

/**
 * The scope's report of what this task judged, written before publishing so that the alerts can
 * link to it. A report that cannot be written is said in the outcome, never thrown: the findings
 * are published all the same.
 */
async function writeScopeReport(
  reports: ReportStore,
  place: ReportPlace,
  inventory: ScopeInventory,
  findings: readonly Finding[],
  params: Params,
  options: ScanScopeOptions,
): Promise<ReportOutcome> {
  try {
    const link = await within(options.deadlines?.publish, 'report writing', () =>
      writeReport(
        reports,
        place,
        {
          findings,
          meta: reportMeta([inventory], params, new Date(options.now)),
          original: endpointPolicyLookup([inventory]),
        },
        options.counter,
      ),
    );
    return { written: true, link };
  } catch (error) {
    return reportNotWritten(reports, place, error);
  }
}

export async function scanScope(
  target: { accountId: string; region: string },
  clients: ScanClients,
  options: ScanScopeOptions,
): Promise<ScopeScan> {
  const { accountId, region } = target;
  const { credentials, counter } = options;
  const { deadlines, accountLevel } = options;
  const cloudTrail = clients.cloudTrail;
  const isTraffic = (id: CheckId): boolean => readsTraffic(options.catalogue, id);
  const traffic = cloudTrail && options.params.checks.some(isTraffic) ? options.traffic : undefined;
  let trafficPending: TrafficPending | undefined;
  const inventory = await within(deadlines?.collect, 'collection', async () => {
    const collected: ScopeInventory = options.trafficOnly
      ? { accountId, region, vpcs: [], vpcEndpoints: [] }
      : await collectScope(clients.ec2(region, credentials), accountId, region, { counter });
    if (accountLevel && !options.trafficOnly) await collectAccountLevel(collected, accountLevel, clients, options);
    if (cloudTrail && traffic)
      trafficPending = await collectTraffic(
        collected,
        cloudTrail(region, credentials),
        traffic,
        options,
        traffic.canContinue ? deadlines?.collect : undefined,
      );
    return collected;
  });
  // The account-level checks run on the one scope per account that answers for the account; CCE.14
  // when its events were read to the end; a continued task runs CCE.14 alone.
  const runs = (id: CheckId): boolean => {
    if (options.trafficOnly) return isTraffic(id) && !trafficPending;
    if (isTraffic(id)) return traffic !== undefined && !trafficPending;
    return accountLevel !== undefined || !options.catalogue.some((c) => c.id === id && isAccountLevel(c));
  };
  const params = { ...options.params, checks: options.params.checks.filter(runs) };
  const findings = evaluate([inventory], params, options.catalogue);
  const incomplete = incompleteScopes([inventory])[0]?.reason;
  // A continued task that hands its CloudTrail pages on again has judged nothing yet: no report.
  const judged = !(options.trafficOnly && trafficPending);
  const report =
    clients.reports && options.scanId !== undefined && judged
      ? await writeScopeReport(
          clients.reports,
          { scanId: options.scanId, accountId, region, part: options.trafficOnly ? 'cloudtrail' : undefined },
          inventory,
          findings,
          params,
          options,
        )
      : undefined;
  const link = report?.written ? report.link : undefined;
  let published: PublishReport | undefined;
  if (clients.securityHub || clients.sns) {
    const securityHub = clients.securityHub;
    published = await within(deadlines?.publish, 'publishing', () =>
      publishScan(
        [inventory],
        findings,
        {
          ...(securityHub ? { securityHub: () => securityHub(region, credentials) } : {}),
          ...(clients.sns ? { sns: clients.sns } : {}),
        },
        {
          now: options.now,
          checksRun: params.checks,
          productFields: callerFields(inventory, params, options.catalogue),
          reportPassed: options.reportPassed ?? false,
          reportOf: () => link,
          counter,
          sleep: options.sleep,
        },
      ),
    );
  }
  return { inventory, findings, incomplete, published, trafficPending, report };
}
