/**
 * The organization's service control policies in effect on an account (CCE.12, CCE.13), read with the
 * fewest calls AWS Organizations allows.
 *
 * Every List* call of AWS Organizations used here takes MaxResults 1 to 20 (the service model's shared
 * MaxResults shape; e.g. the aws-sdk-php structures for ListParents, ListPoliciesForTarget, ListRoots,
 * ListOrganizationalUnitsForParent, ListAccountsForParent, ListPolicies and ListTargetsForPolicy all give
 * `int<1, 20>`): a page holds at most 20 items, so every list is read at 20 a page.
 *
 * Two readers:
 * - `readAccountOrganization`, for one account (the CLI, explicit account lists): DescribeOrganization,
 *   ListParents level by level up to the root, ListPoliciesForTarget for the root, each OU on the path and
 *   the account, DescribePolicy once per distinct policy.
 * - `readOrganizationTree`, for the scheduler scanning a whole organization: the tree (ListRoots,
 *   ListOrganizationalUnitsForParent, ListAccountsForParent) and the SCPs with where each is attached
 *   (ListPolicies, DescribePolicy, ListTargetsForPolicy), then every account's data without a call per account.
 * Errors propagate (the caller records them); only AWSOrganizationsNotInUseException has a meaning here.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  type Organization,
  type OrganizationsClient,
  type PolicySummary,
} from '@aws-sdk/client-organizations';
import { CallCounter } from '../core/call-counter';
import type { OrganizationData, OrganizationPolicy } from '../core/inventory';
import { awsErrorInfo } from '../core/service-errors';

/** The largest page of every AWS Organizations List* call used here (MaxResults 1–20, see above). */
export const ORGANIZATIONS_PAGE_SIZE = 20;
const SCP = 'SERVICE_CONTROL_POLICY';
/** Organizations nests OUs at most five deep under the root: a longer chain of parents is an error. */
const MAX_LEVELS = 8;

type Parent = OrganizationData['Parents'][number];

/** One page after another, each counted as a call of `operation`, until NextToken runs out. */
async function listAll<T>(
  operation: string,
  counter: CallCounter,
  fetch: (NextToken: string | undefined) => Promise<{ items: T[] | undefined; NextToken?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    counter.add(operation);
    const page = await fetch(token);
    items.push(...(page.items ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return items;
}

function organizationOf(organization: Organization | undefined): OrganizationData['Organization'] {
  if (!organization?.Id || !organization.MasterAccountId)
    throw new Error('DescribeOrganization gave no organization id or management account');
  return {
    Id: organization.Id,
    MasterAccountId: organization.MasterAccountId,
    ...(organization.Arn ? { Arn: organization.Arn } : {}),
  };
}

async function describeOrganization(
  client: OrganizationsClient,
  counter: CallCounter,
): Promise<OrganizationData['Organization'] | null> {
  counter.add('DescribeOrganization');
  try {
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    return organizationOf(Organization);
  } catch (error) {
    if (awsErrorInfo(error).code === 'AWSOrganizationsNotInUseException') return null;
    throw error;
  }
}

function summaryOf(summary: PolicySummary | undefined, id: string): OrganizationPolicy['PolicySummary'] {
  return {
    Id: summary?.Id ?? id,
    ...(summary?.Name !== undefined ? { Name: summary.Name } : {}),
    ...(summary?.Arn !== undefined ? { Arn: summary.Arn } : {}),
    ...(summary?.AwsManaged !== undefined ? { AwsManaged: summary.AwsManaged } : {}),
    ...(summary?.Type !== undefined ? { Type: summary.Type } : {}),
  };
}

/** DescribePolicy once for each id: the policies' JSON text. */
async function describePolicies(
  client: OrganizationsClient,
  ids: Iterable<string>,
  counter: CallCounter,
): Promise<Map<string, OrganizationPolicy>> {
  const policies = new Map<string, OrganizationPolicy>();
  for (const id of ids) {
    if (policies.has(id)) continue;
    counter.add('DescribePolicy');
    const { Policy } = await client.send(new DescribePolicyCommand({ PolicyId: id }));
    if (Policy?.Content === undefined) throw new Error(`DescribePolicy gave no content for ${id}`);
    policies.set(id, { PolicySummary: summaryOf(Policy.PolicySummary, id), Content: Policy.Content });
  }
  return policies;
}

const byId = (a: OrganizationPolicy, b: OrganizationPolicy): number =>
  a.PolicySummary.Id < b.PolicySummary.Id ? -1 : a.PolicySummary.Id > b.PolicySummary.Id ? 1 : 0;

function parentOf(parent: { Id?: string; Type?: string } | undefined, child: string): Parent {
  if (!parent?.Id || (parent.Type !== 'ROOT' && parent.Type !== 'ORGANIZATIONAL_UNIT'))
    throw new Error(`ListParents gave no root or OU as the parent of ${child}`);
  return { Id: parent.Id, Type: parent.Type };
}

/**
 * The organization of one account and the SCPs in effect on it, or null when the account belongs to
 * no organization (AWSOrganizationsNotInUseException). Calls: 1 DescribeOrganization, one ListParents
 * per level (the account's OUs and the root), Σ over the root, the OUs on the path and the account of
 * ⌈attached SCPs/20⌉ ListPoliciesForTarget (at least 1 each), one DescribePolicy per distinct SCP
 * (`accountOrganizationFloor`). Needs the management account or a delegated administrator.
 */
export async function readAccountOrganization(
  client: OrganizationsClient,
  accountId: string,
  counter: CallCounter = new CallCounter(),
): Promise<OrganizationData | null> {
  const organization = await describeOrganization(client, counter);
  if (!organization) return null;

  const parents: Parent[] = [];
  let child = accountId;
  for (;;) {
    if (parents.length >= MAX_LEVELS) throw new Error(`no root found above ${accountId} within ${MAX_LEVELS} levels`);
    counter.add('ListParents');
    // A child has exactly one parent: one call per level.
    const { Parents } = await client.send(new ListParentsCommand({ ChildId: child }));
    const parent = parentOf(Parents?.[0], child);
    parents.unshift(parent);
    if (parent.Type === 'ROOT') break;
    child = parent.Id;
  }

  const attached = new Map<string, string[]>();
  for (const target of [...parents.map((p) => p.Id), accountId]) {
    const summaries = await listAll('ListPoliciesForTarget', counter, async (NextToken) => {
      const page = await client.send(
        new ListPoliciesForTargetCommand({
          TargetId: target,
          Filter: SCP,
          MaxResults: ORGANIZATIONS_PAGE_SIZE,
          NextToken,
        }),
      );
      return { items: page.Policies, NextToken: page.NextToken };
    });
    attached.set(target, [...new Set(summaries.flatMap((s) => (s.Id ? [s.Id] : [])))]);
  }
  const policies = await describePolicies(client, [...attached.values()].flat(), counter);
  const Policies: Record<string, OrganizationPolicy[]> = {};
  for (const [target, ids] of attached)
    Policies[target] = ids.map((id) => policies.get(id) as OrganizationPolicy).sort(byId);
  return { Organization: organization, Parents: parents, Policies };
}

/** An account as ListAccountsForParent gives it (Status is deprecated in favour of State; either may come). */
export interface OrganizationAccount {
  Id: string;
  Name?: string;
  Status?: string;
  State?: string;
}

export interface OrganizationTree {
  Organization: OrganizationData['Organization'];
  /** Every account under the root (any status), sorted by id: replaces ListAccounts for the scheduler. */
  accounts: OrganizationAccount[];
  /**
   * The account's OrganizationData (Parents root first; Policies for the root, each OU on its path and
   * the account, an empty list where none is attached), as `readAccountOrganization` would read it;
   * undefined for an account not in the tree.
   */
  dataFor(accountId: string): OrganizationData | undefined;
}

/**
 * The whole organization at the floor of calls (`organizationTreeFloor`): DescribeOrganization; ListRoots;
 * ListOrganizationalUnitsForParent and ListAccountsForParent for the root and every OU; ListPolicies
 * (SCPs); DescribePolicy and ListTargetsForPolicy once per SCP. No call per account. Throws (with
 * AWSOrganizationsNotInUseException among others) when the caller's account is in no organization.
 */
export async function readOrganizationTree(
  client: OrganizationsClient,
  counter: CallCounter = new CallCounter(),
): Promise<OrganizationTree> {
  counter.add('DescribeOrganization');
  const Organization = organizationOf((await client.send(new DescribeOrganizationCommand({}))).Organization);

  const roots = await listAll('ListRoots', counter, async (NextToken) => {
    const page = await client.send(new ListRootsCommand({ MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken }));
    return { items: page.Roots, NextToken: page.NextToken };
  });

  // Breadth first from the root: each parent's OUs and accounts, and every account's path.
  const pathOf = new Map<string, Parent[]>();
  const accounts: OrganizationAccount[] = [];
  const queue: { parent: Parent; path: Parent[] }[] = roots.flatMap((root) =>
    root.Id ? [{ parent: { Id: root.Id, Type: 'ROOT' as const }, path: [] }] : [],
  );
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { parent } = next;
    const path = [...next.path, parent];
    const ous = await listAll('ListOrganizationalUnitsForParent', counter, async (NextToken) => {
      const page = await client.send(
        new ListOrganizationalUnitsForParentCommand({
          ParentId: parent.Id,
          MaxResults: ORGANIZATIONS_PAGE_SIZE,
          NextToken,
        }),
      );
      return { items: page.OrganizationalUnits, NextToken: page.NextToken };
    });
    const children = await listAll('ListAccountsForParent', counter, async (NextToken) => {
      const page = await client.send(
        new ListAccountsForParentCommand({ ParentId: parent.Id, MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken }),
      );
      return { items: page.Accounts, NextToken: page.NextToken };
    });
    for (const account of children) {
      if (!account.Id) continue;
      accounts.push({
        Id: account.Id,
        ...(account.Name !== undefined ? { Name: account.Name } : {}),
        ...(account.Status !== undefined ? { Status: account.Status } : {}),
        ...(account.State !== undefined ? { State: account.State } : {}),
      });
      pathOf.set(account.Id, path);
    }
    for (const ou of ous) if (ou.Id) queue.push({ parent: { Id: ou.Id, Type: 'ORGANIZATIONAL_UNIT' }, path });
  }

  const summaries = await listAll('ListPolicies', counter, async (NextToken) => {
    const page = await client.send(
      new ListPoliciesCommand({ Filter: SCP, MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken }),
    );
    return { items: page.Policies, NextToken: page.NextToken };
  });
  const ids = [...new Set(summaries.flatMap((s) => (s.Id ? [s.Id] : [])))];
  const policies = await describePolicies(client, ids, counter);
  const attached = new Map<string, OrganizationPolicy[]>();
  for (const id of ids) {
    const targets = await listAll('ListTargetsForPolicy', counter, async (NextToken) => {
      const page = await client.send(
        new ListTargetsForPolicyCommand({ PolicyId: id, MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken }),
      );
      return { items: page.Targets, NextToken: page.NextToken };
    });
    const policy = policies.get(id) as OrganizationPolicy;
    for (const target of new Set(targets.flatMap((t) => (t.TargetId ? [t.TargetId] : [])))) {
      const list = attached.get(target);
      if (list) list.push(policy);
      else attached.set(target, [policy]);
    }
  }
  for (const list of attached.values()) list.sort(byId);

  accounts.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  return {
    Organization,
    accounts,
    dataFor(accountId: string): OrganizationData | undefined {
      const path = pathOf.get(accountId);
      if (!path) return undefined;
      const Policies: Record<string, OrganizationPolicy[]> = {};
      for (const target of [...path.map((p) => p.Id), accountId]) Policies[target] = [...(attached.get(target) ?? [])];
      return { Organization: { ...Organization }, Parents: path.map((p) => ({ ...p })), Policies };
    },
  };
}

const pages = (items: number): number => Math.max(1, Math.ceil(items / ORGANIZATIONS_PAGE_SIZE));
/** Operations with no call left out, as a CallCounter shows them. */
const nonZero = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

/** The shape of an organization, for the floor of calls that reading it takes. */
export interface OrganizationShape {
  /** The root and every OU: how many OUs and accounts each holds directly. */
  parents: readonly { ous: number; accounts: number }[];
  /** Every SCP: to how many targets (root, OUs, accounts) it is attached (FullAWSAccess: by default all). */
  targetsPerPolicy: readonly number[];
}

/**
 * The fewest calls `readOrganizationTree` can make, per operation: 1 DescribeOrganization, 1 ListRoots,
 * Σ over the root and the OUs of ⌈child OUs/20⌉ ListOrganizationalUnitsForParent and ⌈accounts/20⌉
 * ListAccountsForParent (each at least 1), ⌈SCPs/20⌉ ListPolicies, one DescribePolicy per SCP, and
 * Σ over the SCPs of ⌈targets/20⌉ ListTargetsForPolicy (each at least 1).
 */
export function organizationTreeFloor(shape: OrganizationShape): Record<string, number> {
  return nonZero({
    DescribeOrganization: 1,
    ListRoots: 1,
    ListOrganizationalUnitsForParent: shape.parents.reduce((sum, p) => sum + pages(p.ous), 0),
    ListAccountsForParent: shape.parents.reduce((sum, p) => sum + pages(p.accounts), 0),
    ListPolicies: pages(shape.targetsPerPolicy.length),
    DescribePolicy: shape.targetsPerPolicy.length,
    ListTargetsForPolicy: shape.targetsPerPolicy.reduce((sum, targets) => sum + pages(targets), 0),
  });
}

/**
 * The fewest calls `readAccountOrganization` can make for an account under `depth` OUs: 1
 * DescribeOrganization, depth + 1 ListParents, Σ over the root, the OUs and the account of ⌈attached
 * SCPs/20⌉ ListPoliciesForTarget (each at least 1), one DescribePolicy per distinct SCP among them.
 */
export function accountOrganizationFloor(shape: {
  /** SCPs attached to each target on the path: root first, then each OU, then the account. */
  policiesPerTarget: readonly number[];
  distinctPolicies: number;
}): Record<string, number> {
  return nonZero({
    DescribeOrganization: 1,
    ListParents: shape.policiesPerTarget.length - 1,
    ListPoliciesForTarget: shape.policiesPerTarget.reduce((sum, n) => sum + pages(n), 0),
    DescribePolicy: shape.distinctPolicies,
  });
}
