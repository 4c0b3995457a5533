/**
 * Region, partition and endpoint-service catalogue (DESIGN section 1).
 * The built-in lists are the offline fallback; an inventory's `endpointServices`
 * (from DescribeVpcEndpointServices) is the live truth and overrides them.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The four CodeCommit interface endpoint services, by their service-name suffix. */
export const SERVICE_KINDS = ['git-codecommit', 'git-codecommit-fips', 'codecommit', 'codecommit-fips'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Which traffic a service carries. */
export type Traffic = 'git' | 'api';

export const SERVICE_TRAFFIC: Record<ServiceKind, Traffic> = {
  'git-codecommit': 'git',
  'git-codecommit-fips': 'git',
  codecommit: 'api',
  'codecommit-fips': 'api',
};

export function serviceKindFor(traffic: Traffic, fips: boolean): ServiceKind {
  if (traffic === 'git') return fips ? 'git-codecommit-fips' : 'git-codecommit';
  return fips ? 'codecommit-fips' : 'codecommit';
}

/** Regions with CodeCommit interface endpoints (the seed's list of 22). */
export const CODECOMMIT_ENDPOINT_REGIONS: readonly string[] = [
  'us-east-2',
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-2',
  'ap-south-1',
  'ap-east-1',
  'sa-east-1',
  'me-south-1',
  'ca-central-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
];

/** Regions with a FIPS Git endpoint (CodeCommit documentation). */
export const FIPS_GIT_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'us-gov-west-1',
  'us-gov-east-1',
];

/** Regions with a FIPS API endpoint (AWS general reference, SDK endpoint data). */
export const FIPS_API_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'us-gov-west-1',
];

const REGION_PATTERN = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function isRegionCode(value: string): boolean {
  return REGION_PATTERN.test(value);
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of the partition (for endpoint host names in messages and remediation). */
export function dnsSuffixOf(partition: Partition): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** Service-name prefixes a partition uses; the first is the canonical one for new endpoints. */
export function serviceNamePrefixes(region: string): string[] {
  return partitionOf(region) === 'aws-cn'
    ? [`cn.com.amazonaws.${region}.`, `com.amazonaws.${region}.`]
    : [`com.amazonaws.${region}.`];
}

export function serviceName(region: string, kind: ServiceKind): string {
  return `${serviceNamePrefixes(region)[0]}${kind}`;
}

/** Every service name a CodeCommit endpoint in this region may carry (both China forms). */
export function allServiceNames(region: string): string[] {
  return serviceNamePrefixes(region).flatMap((prefix) => SERVICE_KINDS.map((kind) => `${prefix}${kind}`));
}

/** The CodeCommit service kind a service name denotes in this region, or undefined. */
export function serviceKindOf(name: string, region: string): ServiceKind | undefined {
  for (const prefix of serviceNamePrefixes(region)) {
    if (!name.startsWith(prefix)) continue;
    const suffix = name.slice(prefix.length);
    if ((SERVICE_KINDS as readonly string[]).includes(suffix)) return suffix as ServiceKind;
  }
  return undefined;
}

/** Which CodeCommit endpoint services a region offers, and where that knowledge came from. */
export interface RegionOffer {
  services: ReadonlySet<ServiceKind>;
  source: 'live' | 'built-in';
}

export function builtInOffer(region: string): Set<ServiceKind> {
  const offered = new Set<ServiceKind>();
  if (!CODECOMMIT_ENDPOINT_REGIONS.includes(region)) return offered;
  offered.add('git-codecommit');
  offered.add('codecommit');
  if (FIPS_GIT_REGIONS.includes(region)) offered.add('git-codecommit-fips');
  if (FIPS_API_REGIONS.includes(region)) offered.add('codecommit-fips');
  return offered;
}

export function regionOffer(region: string, endpointServices: readonly string[] | undefined): RegionOffer {
  if (endpointServices === undefined) return { services: builtInOffer(region), source: 'built-in' };
  const services = new Set<ServiceKind>();
  for (const name of endpointServices) {
    const kind = serviceKindOf(name, region);
    if (kind) services.add(kind);
  }
  return { services, source: 'live' };
}

export function arn(partition: Partition, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}
