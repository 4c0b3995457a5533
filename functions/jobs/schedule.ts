/**
 * A scheduled scan: which accounts × regions to scan, and one task each on the queue
 * (SendMessageBatch, 10 a call, failed entries retried, then reported).
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import { enabledRegions } from '../aws/enabled-regions';
import { callerAccount } from '../aws/identity';
import { readAccountOrganization, readOrganizationTree, type OrganizationTree } from '../aws/organization';
import type { OrganizationData } from '../core/inventory';
import { awsErrorInfo } from '../core/service-errors';
import { CallCounter } from '../core/call-counter';
import { DeliveryError } from '../core/errors';
import type { SchedulerSettings } from './settings';
import { accountLevel, parseTask, type ScanTask, type TaskAccountLevel } from './task';
import { queueTasks } from './queue';

export { queueTasks } from './queue';

export interface ScheduleClients {
  sqs: SQSClient;
  organizations: OrganizationsClient;
  sts: STSClient;
  ec2: EC2Client;
}

export interface ScanPlan {
  accounts: string[];
  regions: string[];
  tasks: ScanTask[];
  /** Why an account of the organization is not scanned (the management account without its member role). */
  skipped: { accountId: string; reason: string }[];
}

export interface ScheduleResult {
  scanId: string;
  accounts: number;
  regions: number;
  tasksSent: number;
  tasksFailed: number;
  apiCalls: Record<string, number>;
}

/**
 * The scan id: the EventBridge event's id (a UUID), kept to the characters and the 200-character
 * length a task allows, or a time-based id when the event has none.
 */
export function scanIdOf(event: unknown, now: Date = new Date()): string {
  const id = (event as { id?: unknown } | null | undefined)?.id;
  const cleaned = typeof id === 'string' ? id.replace(/[^\w.:@=+,-]/g, '-').slice(0, 200) : '';
  return cleaned.replace(/-/g, '') === '' ? `scan-${now.toISOString()}` : cleaned;
}

/** Accounts the tree lists that can be scanned (ListAccountsForParent's Status, or its newer State). */
function isActive(account: { Status?: string; State?: string }): boolean {
  const status = (account.State ?? account.Status ?? 'ACTIVE').toUpperCase();
  return status === 'ACTIVE';
}

/** The account-level part of each account's home task: its organization's data, or why it could not be read. */
async function accountLevels(
  accounts: readonly string[],
  tree: OrganizationTree | undefined,
  clients: ScheduleClients,
  counter: CallCounter,
): Promise<Map<string, TaskAccountLevel>> {
  const out = new Map<string, TaskAccountLevel>();
  for (const accountId of accounts) {
    if (tree) {
      out.set(accountId, accountLevel(tree.dataFor(accountId)));
      continue;
    }
    // An explicit list or the scheduler's own account: read each one's path (its own calls, few accounts).
    const local = new CallCounter();
    let data: OrganizationData | null;
    try {
      data = await readAccountOrganization(clients.organizations, accountId, local);
      out.set(accountId, accountLevel(data));
    } catch (error) {
      const { code, message } = awsErrorInfo(error);
      out.set(accountId, accountLevel(undefined, { operation: local.last ?? 'DescribeOrganization', code, message }));
    } finally {
      counter.merge(local);
    }
  }
  return out;
}

/**
 * The target accounts (organization, list or the caller's own, minus exclusions) × the regions;
 * each account's task in the home region (the scheduler's, else the first) also carries the
 * account-level checks, with the organization's SCPs read here, once per OU.
 */
export async function planScan(
  scanId: string,
  settings: SchedulerSettings,
  clients: ScheduleClients,
  counter: CallCounter,
): Promise<ScanPlan> {
  let accounts: string[];
  let tree: OrganizationTree | undefined;
  const skipped: ScanPlan['skipped'] = [];
  if (settings.targets.kind === 'organization') {
    // The whole tree at once: accounts, OUs and SCPs with no call per account (replaces ListAccounts).
    tree = await readOrganizationTree(clients.organizations, counter);
    accounts = tree.accounts.filter(isActive).map((a) => a.Id);
    // Service-managed StackSets never deploy the member role to the management account: from any
    // other account a task for it would fail on every run. (From the management account itself,
    // the worker scans it with its own role.)
    const management = tree.Organization.MasterAccountId;
    counter.add('GetCallerIdentity');
    const own = await callerAccount(clients.sts);
    if (management && management !== own && !settings.scanManagementAccount && accounts.includes(management)) {
      accounts = accounts.filter((a) => a !== management);
      skipped.push({
        accountId: management,
        reason:
          'the management account has no member role from service-managed StackSets: deploy infra/member-role.yml to it as a stack and set scanManagementAccount=true to scan it',
      });
    }
  } else if (settings.targets.kind === 'list') accounts = [...settings.targets.accounts];
  else {
    counter.add('GetCallerIdentity');
    accounts = [await callerAccount(clients.sts)];
  }
  accounts = accounts.filter((a) => !settings.excluded.has(a));
  let regions: string[];
  if (settings.regions === 'all') {
    counter.add('DescribeRegions');
    regions = await enabledRegions(clients.ec2);
  } else regions = settings.regions;
  const home = settings.homeRegion && regions.includes(settings.homeRegion) ? settings.homeRegion : regions[0];
  const levels = await accountLevels(accounts, tree, clients, counter);
  const tasks = accounts.flatMap((accountId) =>
    regions.map((region) =>
      parseTask({ scanId, accountId, region, ...(region === home ? { account: levels.get(accountId) ?? {} } : {}) }),
    ),
  );
  return { accounts, regions, tasks, skipped };
}

export interface ScheduleLog {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** Plan and queue a scan; throws a DeliveryError (after logging each) when tasks could not be queued. */
export async function scheduleScan(
  scanId: string,
  settings: SchedulerSettings,
  clients: ScheduleClients,
  options: { log: ScheduleLog; sleep?: ((ms: number) => Promise<void>) | undefined },
): Promise<ScheduleResult> {
  const counter = new CallCounter();
  const plan = await planScan(scanId, settings, clients, counter);
  for (const skip of plan.skipped) options.log.info('account skipped', { ...skip });
  const queued = await queueTasks(clients.sqs, settings.queueUrl, plan.tasks, { counter, sleep: options.sleep });
  for (const failure of queued.failed) {
    options.log.error('task not queued', {
      task: failure.item.MessageBody,
      code: failure.code,
      message: failure.message,
    });
  }
  const result = {
    scanId,
    accounts: plan.accounts.length,
    regions: plan.regions.length,
    tasksSent: queued.sent,
    tasksFailed: queued.failed.length,
    apiCalls: counter.toJSON(),
  };
  options.log.info('scan scheduled', { ...result });
  if (queued.failed.length > 0) {
    throw new DeliveryError(
      `${queued.failed.length} of ${plan.tasks.length} scan tasks could not be queued (first: ${queued.failed[0]?.code ?? ''})`,
    );
  }
  return result;
}
