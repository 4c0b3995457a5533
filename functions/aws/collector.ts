/**
 * The collector: builds the DESIGN section 4 inventory for one account-region with the
 * fewest calls: server-side filters, the API's largest page size, security groups and
 * subnets only for CodeCommit endpoints, route tables only for the VPCs that lack a
 * CodeCommit endpoint, never one call per VPC or endpoint.
 * A failed call is recorded as a collection error (the checks that need its data give
 * ERROR); it is never mistaken for an empty result.
 */
import {
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type {
  CollectionError,
  DataKey,
  RouteTable,
  ScopeInventory,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '../core/inventory';
import { allServiceNames, SERVICE_TRAFFIC, serviceKindOf, type Traffic } from '../core/regions';
import { CallCounter } from '../core/call-counter';
import { awsErrorInfo, isScopeFailure } from '../core/service-errors';

export const PAGE_SIZE = 1000;
/** EC2 accepts at most 200 values in one filter. */
export const FILTER_CHUNK = 200;
/**
 * DescribeRouteTables takes MaxResults 5 to 100 (the EC2 service model's DescribeRouteTablesMaxResults, as
 * generated from the AWS SDK for PHP's model in sunaoka/aws-sdk-php-structures-generator,
 * Ec2/DescribeRouteTables/DescribeRouteTablesRequest.php: `int<5, 100>`; the JavaScript SDK's types do not
 * carry the range), unlike the 1000 of DescribeVpcs and the others.
 */
export const ROUTE_TABLE_PAGE_SIZE = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

class StepFailure extends Error {
  constructor(readonly error: CollectionError) {
    super(error.message);
  }
}

async function step<T>(data: DataKey, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    throw new StepFailure({ data: isScopeFailure(code) ? 'scope' : data, operation, code, message });
  }
}

/**
 * Run a filtered read; if the service rejects the filter itself (some AWS API emulators
 * implement only part of EC2's filters), read unfiltered and let the caller filter.
 */
async function withFilterFallback<T>(
  filtered: () => Promise<T>,
  unfiltered: () => Promise<T>,
  counter: CallCounter,
): Promise<T> {
  try {
    return await filtered();
  } catch (error) {
    if (!FILTER_REJECTED.has(awsErrorInfo(error).code)) throw error;
    counter.add('FilterFallbacks');
    return unfiltered();
  }
}

const FILTER_REJECTED = new Set([
  'InvalidParameterValue',
  'InvalidFilter',
  'FilterNotImplementedError',
  'NotImplementedError',
  'NotImplemented',
  'InvalidParameter',
]);

async function endpointServices(ec2: EC2Client, region: string, counter: CallCounter): Promise<string[]> {
  const read = (filtered: boolean): Promise<string[]> => endpointServicePages(ec2, region, counter, filtered);
  return withFilterFallback(
    () => read(true),
    () => read(false),
    counter,
  );
}

async function endpointServicePages(
  ec2: EC2Client,
  region: string,
  counter: CallCounter,
  filtered: boolean,
): Promise<string[]> {
  const names = new Set<string>();
  let NextToken: string | undefined;
  do {
    counter.add('DescribeVpcEndpointServices');
    const page = await ec2.send(
      new DescribeVpcEndpointServicesCommand({
        ...(filtered ? { Filters: [{ Name: 'service-name', Values: allServiceNames(region) }] } : {}),
        MaxResults: PAGE_SIZE,
        NextToken,
      }),
    );
    for (const name of page.ServiceNames ?? []) names.add(name);
    for (const detail of page.ServiceDetails ?? []) if (detail.ServiceName) names.add(detail.ServiceName);
    NextToken = page.NextToken;
  } while (NextToken);
  return [...names].filter((name) => serviceKindOf(name, region) !== undefined).sort();
}

async function collectPages<T>(
  pages: AsyncIterable<T>,
  operation: string,
  counter: CallCounter,
  take: (page: T) => unknown[] | undefined,
): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const page of pages) {
    counter.add(operation);
    items.push(...(take(page) ?? []));
  }
  return items;
}

/**
 * The VPCs (sorted ids) that lack a serving (Interface, `available`) CodeCommit endpoint of the Git kind
 * (git-codecommit, git-codecommit-fips) or of the API kind (codecommit, codecommit-fips): where their
 * CodeCommit traffic goes decides how grave CCE.1/CCE.2 are, so only their route tables are read.
 */
export function vpcsNeedingRouteTables(
  vpcs: readonly Vpc[],
  endpoints: readonly VpcEndpoint[],
  region: string,
): string[] {
  const served = new Map<string, Set<Traffic>>();
  for (const endpoint of endpoints) {
    const kind = serviceKindOf(endpoint.ServiceName, region);
    // Items straight from the API (an emulator may leave a field out): never assume a field is there.
    if (!kind || String(endpoint.VpcEndpointType ?? '').toLowerCase() !== 'interface') continue;
    if (String(endpoint.State ?? '').toLowerCase() !== 'available') continue;
    const traffic = served.get(endpoint.VpcId) ?? new Set<Traffic>();
    traffic.add(SERVICE_TRAFFIC[kind]);
    served.set(endpoint.VpcId, traffic);
  }
  const ids = vpcs.filter((vpc) => {
    const traffic = served.get(vpc.VpcId);
    return !traffic?.has('git') || !traffic.has('api');
  });
  return [...new Set(ids.map((vpc) => vpc.VpcId))].sort();
}

/** The route tables of these VPCs: `vpc-id` filters of 200 values, 100 tables a page. */
async function routeTablesOf(ec2: EC2Client, vpcIds: readonly string[], counter: CallCounter): Promise<RouteTable[]> {
  if (vpcIds.length === 0) return [];
  const config = { client: ec2, pageSize: ROUTE_TABLE_PAGE_SIZE };
  const read = (filters: { Name: string; Values: string[] }[]): Promise<unknown[]> =>
    collectPages(
      paginateDescribeRouteTables(config, filters.length > 0 ? { Filters: filters } : {}),
      'DescribeRouteTables',
      counter,
      (p) => p.RouteTables,
    );
  const tables = (await withFilterFallback(
    async () => {
      const items: unknown[] = [];
      for (const chunk of chunks(vpcIds, FILTER_CHUNK))
        items.push(...(await read([{ Name: 'vpc-id', Values: chunk }])));
      return items;
    },
    () => read([]),
    counter,
  )) as RouteTable[];
  // The same selection the filter makes, so an unfiltered read (emulators) gives the same inventory.
  const wanted = new Set(vpcIds);
  return tables.filter((table) => wanted.has(table.VpcId));
}

export interface CollectOptions {
  counter?: CallCounter;
  /** Collect only these VPCs and their endpoints (change-triggered Config evaluations). */
  vpcIds?: readonly string[];
}

/** Collect one account-region. Never throws for an AWS error: failures are recorded in `collectionErrors`. */
export async function collectScope(
  ec2: EC2Client,
  accountId: string,
  region: string,
  options: CollectOptions = {},
): Promise<ScopeInventory> {
  const counter = options.counter ?? new CallCounter();
  const scope: ScopeInventory = { accountId, region, vpcs: [], vpcEndpoints: [] };
  const errors: CollectionError[] = [];
  const config = { client: ec2, pageSize: PAGE_SIZE };

  const attempt = async (run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      errors.push(error.error);
      return false;
    }
  };

  // Every later call would fail the same way once the scope itself is unreachable.
  const scopeLost = (): boolean => errors.some((e) => e.data === 'scope');

  const vpcFilter = options.vpcIds ? [{ Name: 'vpc-id', Values: [...options.vpcIds] }] : [];
  const vpcsRead = await attempt(async () => {
    scope.vpcs = (await step('vpcs', 'DescribeVpcs', () =>
      collectPages(
        paginateDescribeVpcs(config, vpcFilter.length > 0 ? { Filters: vpcFilter } : {}),
        'DescribeVpcs',
        counter,
        (p) => p.Vpcs,
      ),
    )) as Vpc[];
  });
  if (!scopeLost()) {
    await attempt(async () => {
      scope.endpointServices = await step('endpointServices', 'DescribeVpcEndpointServices', () =>
        endpointServices(ec2, region, counter),
      );
    });
  }
  const names = allServiceNames(region);
  const endpointsRead =
    !scopeLost() &&
    (await attempt(async () => {
      const read = (filters: { Name: string; Values: string[] }[]): Promise<unknown[]> =>
        collectPages(
          paginateDescribeVpcEndpoints(config, filters.length > 0 ? { Filters: filters } : {}),
          'DescribeVpcEndpoints',
          counter,
          (p) => p.VpcEndpoints,
        );
      const endpoints = (await step('vpcEndpoints', 'DescribeVpcEndpoints', () =>
        withFilterFallback(
          () => read([{ Name: 'service-name', Values: names }, ...vpcFilter]),
          () => read([]),
          counter,
        ),
      )) as VpcEndpoint[];
      // The same selection the filters make, so an unfiltered read gives the same inventory.
      const wantedVpcs = options.vpcIds && new Set(options.vpcIds);
      scope.vpcEndpoints = endpoints.filter(
        (e) => names.includes(e.ServiceName) && (!wantedVpcs || wantedVpcs.has(e.VpcId)),
      );
    }));

  if (endpointsRead) {
    const groupIds = [
      ...new Set(scope.vpcEndpoints.flatMap((e) => (e.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])))),
    ].sort();
    const subnetIds = [...new Set(scope.vpcEndpoints.flatMap((e) => e.SubnetIds ?? []))].sort();
    // Only the groups and subnets of CodeCommit endpoints, by id filter (EC2 takes 200 values a filter).
    const byIds = async <P>(
      ids: string[],
      data: DataKey,
      operation: string,
      pages: (chunk: string[]) => AsyncIterable<P>,
      take: (page: P) => unknown[] | undefined,
    ): Promise<unknown[]> => {
      const items: unknown[] = [];
      for (const chunk of chunks(ids, FILTER_CHUNK))
        items.push(...(await step(data, operation, () => collectPages(pages(chunk), operation, counter, take))));
      return items;
    };
    await attempt(async () => {
      scope.securityGroups = (await byIds(
        groupIds,
        'securityGroups',
        'DescribeSecurityGroups',
        (chunk) => paginateDescribeSecurityGroups(config, { Filters: [{ Name: 'group-id', Values: chunk }] }),
        (p) => p.SecurityGroups,
      )) as SecurityGroup[];
    });
    await attempt(async () => {
      scope.subnets = (await byIds(
        subnetIds,
        'subnets',
        'DescribeSubnets',
        (chunk) => paginateDescribeSubnets(config, { Filters: [{ Name: 'subnet-id', Values: chunk }] }),
        (p) => p.Subnets,
      )) as Subnet[];
    });
  }

  // Where the traffic of a VPC without its endpoints goes (CCE.1/CCE.2): only for the VPCs that need it.
  if (vpcsRead && endpointsRead && !scopeLost()) {
    const vpcIds = vpcsNeedingRouteTables(scope.vpcs, scope.vpcEndpoints, region);
    await attempt(async () => {
      scope.routeTables = await step('routeTables', 'DescribeRouteTables', () => routeTablesOf(ec2, vpcIds, counter));
    });
  }

  if (errors.length > 0) scope.collectionErrors = errors;
  return scope;
}

/**
 * The VPC of one endpoint, read live (EC2 still describes a recently deleted endpoint, with
 * State `deleted`), or undefined when EC2 no longer knows it.
 */
export async function vpcOfEndpoint(
  ec2: EC2Client,
  endpointId: string,
  counter?: CallCounter,
): Promise<string | undefined> {
  counter?.add('DescribeVpcEndpoints');
  try {
    const page = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    return page.VpcEndpoints?.[0]?.VpcId;
  } catch (error) {
    if (/NotFound/.test(awsErrorInfo(error).code)) return undefined;
    throw error;
  }
}
