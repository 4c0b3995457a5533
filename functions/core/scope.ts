/**
 * A scope (one account-region) prepared once for all checks: endpoints indexed by VPC,
 * security groups and subnets by id, the region's offer, so no check scans lists.
 */
import { Memo } from './memo';
import type { Params } from './params';
import { TrafficAccumulator, type TrafficSummary } from './traffic';
import type {
  CloudTrailWindow,
  CollectionError,
  DataKey,
  IamData,
  OrganizationData,
  RouteTable,
  ScopeInventory,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from './inventory';
import { tagValue } from './inventory';
import {
  allServiceNames,
  arn,
  partitionOf,
  regionOffer,
  serviceKindOf,
  type Partition,
  type RegionOffer,
  type ServiceKind,
} from './regions';

export interface CodeCommitEndpoint {
  id: string;
  vpcId: string;
  kind: ServiceKind;
  /** State, lower-cased (AWS returns e.g. `available`, `pendingAcceptance`). */
  state: string;
  /** Interface type and `available`: the endpoint carries traffic for its VPC. */
  serving: boolean;
  raw: VpcEndpoint;
}

/** Account-level data (CCE.12, CCE.13), on the one scope of the account that carries it. */
export interface AccountData {
  /** undefined: not collected; null: the account belongs to no organization. */
  organization: OrganizationData | null | undefined;
  iam: IamData | undefined;
}

export interface Scope {
  accountId: string;
  region: string;
  partition: Partition;
  params: Params;
  offer: RegionOffer;
  vpcs: ReadonlyMap<string, Vpc>;
  endpoints: readonly CodeCommitEndpoint[];
  endpointsByVpc: ReadonlyMap<string, readonly CodeCommitEndpoint[]>;
  securityGroups: ReadonlyMap<string, SecurityGroup> | undefined;
  subnets: ReadonlyMap<string, Subnet> | undefined;
  /** Route tables by VPC; undefined when they were not collected. */
  routeTablesByVpc: ReadonlyMap<string, readonly RouteTable[]> | undefined;
  /** Account-level data, on the scope that carries it; undefined on the account's other scopes. */
  account: AccountData | undefined;
  /** CodeCommit requests per principal (CloudTrail); undefined when they were not collected. */
  traffic: TrafficSummary | undefined;
  /** The window the requests were read for, when known. */
  trafficWindow: CloudTrailWindow | undefined;
  errors: ReadonlyMap<DataKey | 'scope', CollectionError>;
  /** Values the checks derive once for this scope (policy analyses, texts), dropped with it. */
  memo: Memo;
}

/** Whether an inventory entry carries the account-level data of its account (or the failure to read it). */
export function carriesAccountData(inventory: ScopeInventory): boolean {
  return (
    'organization' in inventory ||
    inventory.iam !== undefined ||
    (inventory.collectionErrors ?? []).some((e) => e.data === 'organization' || e.data === 'iam')
  );
}

export function buildScope(inventory: ScopeInventory, params: Params): Scope {
  const { accountId, region } = inventory;
  const errors = new Map<DataKey | 'scope', CollectionError>();
  for (const error of inventory.collectionErrors ?? []) if (!errors.has(error.data)) errors.set(error.data, error);

  // Service name → kind for this region, built once instead of per endpoint.
  const kinds = new Map<string, ServiceKind>();
  for (const name of allServiceNames(region)) {
    const kind = serviceKindOf(name, region);
    if (kind) kinds.set(name, kind);
  }
  const endpoints: CodeCommitEndpoint[] = [];
  const endpointsByVpc = new Map<string, CodeCommitEndpoint[]>();
  for (const raw of inventory.vpcEndpoints) {
    const kind = kinds.get(raw.ServiceName);
    if (!kind || raw.VpcEndpointType.toLowerCase() !== 'interface') continue;
    const state = raw.State.toLowerCase();
    if (state === 'deleted') continue;
    const endpoint: CodeCommitEndpoint = {
      id: raw.VpcEndpointId,
      vpcId: raw.VpcId,
      kind,
      state,
      serving: state === 'available',
      raw,
    };
    endpoints.push(endpoint);
    const list = endpointsByVpc.get(raw.VpcId);
    if (list) list.push(endpoint);
    else endpointsByVpc.set(raw.VpcId, [endpoint]);
  }

  // Sorted by id so every message naming several endpoints is the same whatever the input order.
  const byId = (a: CodeCommitEndpoint, b: CodeCommitEndpoint): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const list of endpointsByVpc.values()) list.sort(byId);
  endpoints.sort(byId);

  return {
    accountId,
    region,
    partition: partitionOf(region),
    params,
    offer: regionOffer(region, inventory.endpointServices),
    vpcs: new Map(inventory.vpcs.map((vpc) => [vpc.VpcId, vpc])),
    endpoints,
    endpointsByVpc,
    securityGroups:
      inventory.securityGroups && new Map(inventory.securityGroups.map((group) => [group.GroupId, group])),
    subnets: inventory.subnets && new Map(inventory.subnets.map((subnet) => [subnet.SubnetId, subnet])),
    routeTablesByVpc: inventory.routeTables && groupBy(inventory.routeTables, (table) => table.VpcId),
    account: carriesAccountData(inventory)
      ? { organization: 'organization' in inventory ? inventory.organization : undefined, iam: inventory.iam }
      : undefined,
    traffic: trafficOf(inventory, params),
    trafficWindow: inventory.cloudTrailWindow,
    errors,
    memo: new Memo(),
  };
}

/** The scope's CodeCommit requests summed up per principal (records as collected, plus what earlier pages carried). */
export function trafficOf(inventory: ScopeInventory, params: Params): TrafficSummary | undefined {
  if (!inventory.cloudTrailEvents && !inventory.trafficCarried) return undefined;
  const sum = new TrafficAccumulator(
    inventory.accountId,
    params.trustedCidrs,
    inventory.trafficCarried,
    params.trustedAccounts,
  );
  (inventory.cloudTrailEvents ?? []).forEach((item, index) =>
    sum.add(item.CloudTrailEvent, `cloudTrailEvents[${index}]${item.EventId ? ` (${item.EventId})` : ''}`),
  );
  return sum.summary();
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

export function endpointsOf(scope: Scope, vpcId: string): readonly CodeCommitEndpoint[] {
  return scope.endpointsByVpc.get(vpcId) ?? [];
}

export function hasTag(vpc: Vpc, tag: { key: string; value: string }): boolean {
  return tagValue(vpc.Tags, tag.key) === tag.value;
}

/** Whether FIPS is required for a VPC under the `fipsRequired` parameter. */
export function fipsRequiredFor(scope: Scope, vpc: Vpc): boolean {
  const { fipsRequired, fipsTag } = scope.params;
  if (fipsRequired === 'always') return true;
  if (fipsRequired === 'never') return false;
  return hasTag(vpc, fipsTag);
}

export function fipsReason(scope: Scope): string {
  const { fipsRequired, fipsTag } = scope.params;
  return fipsRequired === 'always'
    ? 'fipsRequired is always'
    : `the VPC carries the tag ${fipsTag.key}=${fipsTag.value}`;
}

export function vpcArn(scope: Scope, vpcId: string): string {
  return arn(scope.partition, 'ec2', scope.region, scope.accountId, `vpc/${vpcId}`);
}

/** The account as a resource: its root principal's ARN. */
export function accountArn(scope: Pick<Scope, 'partition' | 'accountId'>): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:root`;
}

export function userArn(
  scope: Pick<Scope, 'partition' | 'accountId'>,
  user: { UserName: string; Path?: string; Arn?: string },
): string {
  return user.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:user${user.Path ?? '/'}${user.UserName}`;
}

export function endpointArn(scope: Scope, endpointId: string): string {
  return arn(scope.partition, 'ec2', scope.region, scope.accountId, `vpc-endpoint/${endpointId}`);
}
