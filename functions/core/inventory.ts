/**
 * The inventory (DESIGN section 4): what a collector produces and `--inventory` reads.
 * Items keep AWS's own field names, so a file can be written from `aws ec2 describe-*` output.
 */
import { InventoryError } from './errors';
import { describeValue, isJsonObject, readJson } from './json';
import { isRegionCode } from './regions';

export interface AwsTag {
  Key?: string;
  Value?: string;
}

export interface Vpc {
  VpcId: string;
  OwnerId?: string;
  IsDefault?: boolean;
  CidrBlock?: string;
  Tags?: AwsTag[];
}

export interface VpcEndpoint {
  VpcEndpointId: string;
  VpcEndpointType: string;
  VpcId: string;
  ServiceName: string;
  State: string;
  PolicyDocument?: string | Record<string, unknown>;
  PrivateDnsEnabled?: boolean;
  SubnetIds?: string[];
  Groups?: { GroupId?: string; GroupName?: string }[];
  OwnerId?: string;
  Tags?: AwsTag[];
}

export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string; Description?: string }[];
}

export interface SecurityGroup {
  GroupId: string;
  GroupName?: string;
  VpcId?: string;
  IpPermissions?: IpPermission[];
}

export interface Subnet {
  SubnetId: string;
  VpcId?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
}

/** The data sets of a scope, as named in the inventory and in collection errors. */
export type DataKey = 'vpcs' | 'vpcEndpoints' | 'securityGroups' | 'subnets' | 'endpointServices';

/**
 * A call that failed while collecting this scope. `data` names what it left missing;
 * `scope` means the whole account-region could not be read (role assumption, disabled region).
 */
export interface CollectionError {
  data: DataKey | 'scope';
  operation: string;
  code: string;
  message: string;
}

export interface ScopeInventory {
  accountId: string;
  region: string;
  vpcs: Vpc[];
  vpcEndpoints: VpcEndpoint[];
  securityGroups?: SecurityGroup[];
  subnets?: Subnet[];
  endpointServices?: string[];
  collectionErrors?: CollectionError[];
}

type Json = Record<string, unknown>;
const isObject = isJsonObject;
const describe = describeValue;

class Validator {
  constructor(private readonly where: string) {}

  fail(message: string): never {
    throw new InventoryError(`${this.where}: ${message}`);
  }

  string(item: Json, field: string, itemName: string, required = true): void {
    const value = item[field];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value === '') {
      this.fail(`${itemName}: field "${field}" must be a non-empty string (${describe(value)})`);
    }
  }

  optional(item: Json, field: string, itemName: string, type: 'boolean' | 'array' | 'number'): void {
    const value = item[field];
    if (value === undefined) return;
    const ok = type === 'array' ? Array.isArray(value) : typeof value === type;
    if (!ok)
      this.fail(
        `${itemName}: field "${field}" must be ${type === 'array' ? 'an array' : `a ${type}`} (${describe(value)})`,
      );
  }

  /** An optional array each of whose elements passes `each` (which says what an element must be, when it is not). */
  elements(item: Json, field: string, itemName: string, each: (element: unknown) => string | undefined): void {
    const value = item[field];
    if (value === undefined) return;
    if (!Array.isArray(value)) this.fail(`${itemName}: field "${field}" must be an array (${describe(value)})`);
    value.forEach((element, index) => {
      const expected = each(element);
      if (expected) this.fail(`${itemName}: ${field}[${index}] must be ${expected} (${describe(element)})`);
    });
  }

  items(scope: Json, field: string, required: boolean): Json[] | undefined {
    const value = scope[field];
    if (value === undefined && !required) return undefined;
    if (!Array.isArray(value)) this.fail(`field "${field}" must be an array (${describe(value)})`);
    value.forEach((item, index) => {
      if (!isObject(item)) this.fail(`${field}[${index}] must be an object (${describe(item)})`);
    });
    return value as Json[];
  }
}

const optionalString = (item: Json, field: string): boolean =>
  item[field] === undefined || typeof item[field] === 'string';
const optionalNumber = (item: Json, field: string): boolean =>
  item[field] === undefined || typeof item[field] === 'number';
const optionalArray = (item: Json, field: string, each: (element: unknown) => boolean): boolean =>
  item[field] === undefined || (Array.isArray(item[field]) && (item[field] as unknown[]).every(each));

const TAG = 'a tag object such as {"Key": "Name", "Value": "x"}';
const isTag = (t: unknown): string | undefined =>
  isObject(t) && typeof t.Key === 'string' && optionalString(t, 'Value') ? undefined : TAG;
const isGroup = (g: unknown): string | undefined =>
  isObject(g) && typeof g.GroupId === 'string' && optionalString(g, 'GroupName')
    ? undefined
    : 'an object with a "GroupId" string';
const isSubnetId = (id: unknown): string | undefined =>
  typeof id === 'string' && id !== '' ? undefined : 'a subnet id string';
const cidrs = (field: string) => (r: unknown) =>
  isObject(r) && typeof r[field] === 'string' && optionalString(r, 'Description');
const isPermission = (p: unknown): string | undefined =>
  isObject(p) &&
  optionalString(p, 'IpProtocol') &&
  optionalNumber(p, 'FromPort') &&
  optionalNumber(p, 'ToPort') &&
  optionalArray(p, 'IpRanges', cidrs('CidrIp')) &&
  optionalArray(p, 'Ipv6Ranges', cidrs('CidrIpv6')) &&
  optionalArray(p, 'UserIdGroupPairs', isObject) &&
  optionalArray(p, 'PrefixListIds', isObject)
    ? undefined
    : 'an ingress rule as DescribeSecurityGroups gives it (IpProtocol, FromPort and ToPort, IpRanges of {"CidrIp"}, Ipv6Ranges of {"CidrIpv6"})';

const DATA_KEYS: readonly string[] = ['vpcs', 'vpcEndpoints', 'securityGroups', 'subnets', 'endpointServices', 'scope'];

function validateScope(raw: unknown, where: string): ScopeInventory {
  const v: Validator = new Validator(where);
  if (!isObject(raw)) v.fail(`an inventory entry must be a JSON object (${describe(raw)})`);
  const accountId = raw.accountId;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) {
    v.fail(`field "accountId" must be a 12-digit AWS account id as a string (${describe(accountId)})`);
  }
  const region = raw.region;
  if (typeof region !== 'string' || !isRegionCode(region)) {
    v.fail(`field "region" must be an AWS region code such as us-east-2 (${describe(region)})`);
  }
  const scoped: Validator = new Validator(`${where} (${accountId} ${region})`);

  const vpcs = scoped.items(raw, 'vpcs', true) ?? [];
  const seenVpcs = new Set<string>();
  vpcs.forEach((vpc, index) => {
    const name = `vpcs[${index}]`;
    scoped.string(vpc, 'VpcId', name);
    scoped.optional(vpc, 'IsDefault', name, 'boolean');
    scoped.elements(vpc, 'Tags', name, isTag);
    const id = vpc.VpcId as string;
    if (seenVpcs.has(id)) scoped.fail(`${name}: VPC ${id} is listed twice`);
    seenVpcs.add(id);
  });

  const endpoints = scoped.items(raw, 'vpcEndpoints', true) ?? [];
  const seenEndpoints = new Set<string>();
  endpoints.forEach((endpoint, index) => {
    const id = typeof endpoint.VpcEndpointId === 'string' ? ` (${endpoint.VpcEndpointId})` : '';
    const name = `vpcEndpoints[${index}]${id}`;
    for (const field of ['VpcEndpointId', 'VpcEndpointType', 'VpcId', 'ServiceName', 'State'])
      scoped.string(endpoint, field, name);
    scoped.optional(endpoint, 'PrivateDnsEnabled', name, 'boolean');
    scoped.elements(endpoint, 'SubnetIds', name, isSubnetId);
    scoped.elements(endpoint, 'Groups', name, isGroup);
    scoped.elements(endpoint, 'Tags', name, isTag);
    const policy = endpoint.PolicyDocument;
    if (policy !== undefined && policy !== null && typeof policy !== 'string' && !isObject(policy)) {
      scoped.fail(`${name}: field "PolicyDocument" must be a JSON string or object (${describe(policy)})`);
    }
    const endpointId = endpoint.VpcEndpointId as string;
    if (seenEndpoints.has(endpointId)) scoped.fail(`${name}: endpoint ${endpointId} is listed twice`);
    seenEndpoints.add(endpointId);
  });

  const groups = scoped.items(raw, 'securityGroups', false);
  groups?.forEach((group, index) => {
    const name = `securityGroups[${index}]`;
    scoped.string(group, 'GroupId', name);
    scoped.elements(group, 'IpPermissions', name, isPermission);
  });

  const subnets = scoped.items(raw, 'subnets', false);
  subnets?.forEach((subnet, index) => {
    const name = `subnets[${index}]`;
    scoped.string(subnet, 'SubnetId', name);
    scoped.string(subnet, 'AvailabilityZone', name, false);
  });

  const services = raw.endpointServices;
  if (services !== undefined && (!Array.isArray(services) || !services.every((s) => typeof s === 'string'))) {
    scoped.fail(`field "endpointServices" must be an array of service-name strings (${describe(services)})`);
  }

  const errors = scoped.items(raw, 'collectionErrors', false);
  errors?.forEach((error, index) => {
    const name = `collectionErrors[${index}]`;
    for (const field of ['operation', 'code', 'message']) scoped.string(error, field, name);
    if (typeof error.data !== 'string' || !DATA_KEYS.includes(error.data)) {
      scoped.fail(`${name}: field "data" must be one of ${DATA_KEYS.join(', ')} (${describe(error.data)})`);
    }
  });

  const scope: ScopeInventory = {
    accountId,
    region,
    vpcs: vpcs as unknown as Vpc[],
    vpcEndpoints: endpoints as unknown as VpcEndpoint[],
  };
  if (groups) scope.securityGroups = groups as unknown as SecurityGroup[];
  if (subnets) scope.subnets = subnets as unknown as Subnet[];
  if (services !== undefined) scope.endpointServices = services;
  if (errors) scope.collectionErrors = errors as unknown as CollectionError[];
  return scope;
}

/** Validate a parsed inventory document: one scope object or an array of them. */
export function validateInventory(document: unknown, source: string): ScopeInventory[] {
  const entries = Array.isArray(document) ? document : [document];
  const scopes = entries.map((entry, index) =>
    validateScope(entry, Array.isArray(document) ? `${source}[${index}]` : source),
  );
  return scopes;
}

/** Parse and validate inventory text. */
export function parseInventory(text: string, source: string): ScopeInventory[] {
  return validateInventory(readJson(text, source, InventoryError), source);
}

/** Refuse two entries for the same account-region across all loaded inventories. */
export function assertDistinctScopes(scopes: readonly ScopeInventory[]): void {
  const seen = new Set<string>();
  for (const scope of scopes) {
    const key = `${scope.accountId} ${scope.region}`;
    if (seen.has(key)) throw new InventoryError(`account-region ${key} appears more than once in the inventory`);
    seen.add(key);
  }
}

export function tagValue(tags: readonly AwsTag[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}
