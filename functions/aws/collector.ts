/**
 * The collector: builds the DESIGN section 4 inventory for one account-region with the
 * fewest calls: server-side filters, the API's largest page size, security groups and
 * subnets only for CodeCommit endpoints, never one call per VPC or endpoint.
 * A failed call is recorded as a collection error (the checks that need its data give
 * ERROR); it is never mistaken for an empty result.
 */
import {
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type {
  CollectionError,
  DataKey,
  ScopeInventory,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '../core/inventory';
import { allServiceNames, serviceKindOf } from '../core/regions';
import { CallCounter } from '../core/call-counter';
import { awsErrorInfo, isScopeFailure } from '../core/service-errors';

export const PAGE_SIZE = 1000;
/** EC2 accepts at most 200 values in one filter. */
export const FILTER_CHUNK = 200;

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
  await attempt(async () => {
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
