/**
 * The inventory (DESIGN section 4): what a collector produces and `--inventory` reads.
 * Items keep AWS's own field names, so a file can be written from `aws ec2 describe-*` output.
 */
import { InventoryError } from './errors';
import { describeValue, isJsonObject, readJson } from './json';
import { isRegionCode } from './regions';
import type { TrafficSummary } from './traffic';

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

/** An item of DescribeRouteTables.RouteTables (the fields the checks read). */
export interface RouteTable {
  RouteTableId: string;
  VpcId: string;
  Routes?: Route[];
  Associations?: { Main?: boolean; SubnetId?: string; RouteTableAssociationId?: string }[];
}

export interface Route {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  EgressOnlyInternetGatewayId?: string;
  TransitGatewayId?: string;
  VpcPeeringConnectionId?: string;
  NetworkInterfaceId?: string;
  InstanceId?: string;
  CarrierGatewayId?: string;
  LocalGatewayId?: string;
  CoreNetworkArn?: string;
  /** `active` or `blackhole`. */
  State?: string;
}

/** DescribePolicy's Policy: an SCP with its JSON text. */
export interface OrganizationPolicy {
  PolicySummary: { Id: string; Name?: string; Arn?: string; AwsManaged?: boolean; Type?: string };
  Content: string;
}

/**
 * The account's place in its organization and the SCPs in effect on it (account-level data,
 * carried by one scope of the account): DescribeOrganization's Organization, the account's
 * ancestors from ListParents (root first), and DescribePolicy's Policy for every SCP
 * attached (ListPoliciesForTarget) to the root, each OU on the path and the account, by
 * target id. `null` in the inventory: the account belongs to no organization.
 */
export interface OrganizationData {
  Organization: { Id: string; MasterAccountId: string; Arn?: string };
  Parents: { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }[];
  Policies: Record<string, OrganizationPolicy[]>;
}

/** A policy document as IAM returns it: JSON text, URL-encoded JSON text (the SDK's raw form), or an object. */
export type PolicyDocumentValue = string | Record<string, unknown>;

export interface IamUserDetail {
  UserName: string;
  UserId?: string;
  Arn?: string;
  Path?: string;
  CreateDate?: string;
  GroupList?: string[];
  UserPolicyList?: { PolicyName: string; PolicyDocument: PolicyDocumentValue }[];
  AttachedManagedPolicies?: { PolicyName?: string; PolicyArn: string }[];
  PermissionsBoundary?: { PermissionsBoundaryType?: string; PermissionsBoundaryArn: string };
  Tags?: AwsTag[];
}

export interface IamGroupDetail {
  GroupName: string;
  GroupId?: string;
  Arn?: string;
  Path?: string;
  GroupPolicyList?: { PolicyName: string; PolicyDocument: PolicyDocumentValue }[];
  AttachedManagedPolicies?: { PolicyName?: string; PolicyArn: string }[];
}

export interface IamRoleDetail {
  RoleName: string;
  RoleId?: string;
  Arn?: string;
  Path?: string;
  RolePolicyList?: { PolicyName: string; PolicyDocument: PolicyDocumentValue }[];
  AttachedManagedPolicies?: { PolicyName?: string; PolicyArn: string }[];
  PermissionsBoundary?: { PermissionsBoundaryType?: string; PermissionsBoundaryArn: string };
  Tags?: AwsTag[];
}

export interface IamManagedPolicyDetail {
  PolicyName?: string;
  Arn: string;
  DefaultVersionId?: string;
  PolicyVersionList?: { VersionId?: string; IsDefaultVersion?: boolean; Document: PolicyDocumentValue }[];
}

/** ListServiceSpecificCredentials' items (ServiceName codecommit.amazonaws.com). */
export interface ServiceSpecificCredential {
  UserName: string;
  ServiceSpecificCredentialId: string;
  ServiceName?: string;
  ServiceUserName?: string;
  Status: string;
  CreateDate?: string;
}

/** ListSSHPublicKeys' items. */
export interface SshPublicKey {
  UserName: string;
  SSHPublicKeyId: string;
  Status: string;
  UploadDate?: string;
}

/**
 * The account's IAM (account-level data, carried by one scope of the account):
 * GetAccountAuthorizationDetails (users, groups, roles, managed policies), the CodeCommit
 * HTTPS Git credentials of every user (ListServiceSpecificCredentials, AllUsers), and the SSH
 * public keys (ListSSHPublicKeys) of the users whose policies let them use Git at all.
 */
export interface IamData {
  AuthorizationDetails: {
    UserDetailList: IamUserDetail[];
    GroupDetailList?: IamGroupDetail[];
    RoleDetailList?: IamRoleDetail[];
    Policies?: IamManagedPolicyDetail[];
  };
  ServiceSpecificCredentials: ServiceSpecificCredential[];
  SSHPublicKeys: SshPublicKey[];
}

/** An item of CloudTrail LookupEvents.Events (dates as ISO strings); `CloudTrailEvent` is the record as JSON text. */
export interface CloudTrailEventItem {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: string;
  EventSource?: string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  /** The record as JSON text, as LookupEvents returns it (an object is read too). */
  CloudTrailEvent: string | Record<string, unknown>;
}

/** The time window whose CodeCommit events `cloudTrailEvents` holds (all of them). */
export interface CloudTrailWindow {
  StartTime: string;
  EndTime: string;
}

/** The data sets of a scope, as named in the inventory and in collection errors. */
export type DataKey =
  | 'vpcs'
  | 'vpcEndpoints'
  | 'securityGroups'
  | 'subnets'
  | 'endpointServices'
  | 'routeTables'
  | 'organization'
  | 'iam'
  | 'cloudTrailEvents';

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
  /** Route tables of the VPCs that lack an endpoint (CCE.1/CCE.2 weigh where their traffic goes). */
  routeTables?: RouteTable[];
  /** Account-level: the organization and its SCPs on the account; null when in no organization. */
  organization?: OrganizationData | null;
  /** Account-level: the account's IAM users, policies and CodeCommit credentials. */
  iam?: IamData;
  /** CodeCommit events of the region in `cloudTrailWindow` (LookupEvents, EventSource codecommit.amazonaws.com). */
  cloudTrailEvents?: CloudTrailEventItem[];
  cloudTrailWindow?: CloudTrailWindow;
  /** CodeCommit requests already summed up by earlier pages of a continued task (never in a file). */
  trafficCarried?: TrafficSummary;
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

const DATA_KEYS: readonly string[] = [
  'vpcs',
  'vpcEndpoints',
  'securityGroups',
  'subnets',
  'endpointServices',
  'routeTables',
  'organization',
  'iam',
  'cloudTrailEvents',
  'scope',
];

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

  const routeTables = scoped.items(raw, 'routeTables', false);
  routeTables?.forEach((table, index) => {
    const name = `routeTables[${index}]`;
    scoped.string(table, 'RouteTableId', name);
    scoped.string(table, 'VpcId', name);
    scoped.elements(table, 'Routes', name, (r) => (isObject(r) ? undefined : 'a route object'));
    scoped.elements(table, 'Associations', name, (a) => (isObject(a) ? undefined : 'an association object'));
  });

  const organization = validateOrganization(raw, scoped);
  const iam = validateIam(raw, scoped);
  // Each record is judged on its own (an unreadable one is counted, never stops the others).
  const cloudTrailEvents = scoped.items(raw, 'cloudTrailEvents', false);
  const window = raw.cloudTrailWindow;
  if (window !== undefined) {
    const isTime = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));
    if (!isObject(window) || !isTime(window.StartTime) || !isTime(window.EndTime))
      scoped.fail(
        `field "cloudTrailWindow" must be {"StartTime": ISO time, "EndTime": ISO time} (${describe(window)})`,
      );
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
  if (routeTables) scope.routeTables = routeTables as unknown as RouteTable[];
  if ('organization' in raw) scope.organization = organization ?? null;
  if (iam) scope.iam = iam;
  if (cloudTrailEvents) scope.cloudTrailEvents = cloudTrailEvents as unknown as CloudTrailEventItem[];
  if (window !== undefined) scope.cloudTrailWindow = window as unknown as CloudTrailWindow;
  if (errors) scope.collectionErrors = errors as unknown as CollectionError[];
  return scope;
}

const isPolicyDocument = (d: unknown): boolean => typeof d === 'string' || isObject(d);

/** The `organization` section: null (no organization) or DescribeOrganization, ListParents and DescribePolicy's shapes. */
function validateOrganization(raw: Json, v: Validator): OrganizationData | undefined {
  const value = raw.organization;
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) v.fail(`field "organization" must be an object or null (${describe(value)})`);
  const org = value.Organization;
  if (!isObject(org))
    v.fail(`organization: field "Organization" must be DescribeOrganization's Organization (${describe(org)})`);
  v.string(org, 'Id', 'organization.Organization');
  v.string(org, 'MasterAccountId', 'organization.Organization');
  v.elements(value, 'Parents', 'organization', (p) =>
    isObject(p) && typeof p.Id === 'string' && (p.Type === 'ROOT' || p.Type === 'ORGANIZATIONAL_UNIT')
      ? undefined
      : 'a parent {"Id": "...", "Type": "ROOT" or "ORGANIZATIONAL_UNIT"}',
  );
  if (!Array.isArray(value.Parents)) v.fail('organization: field "Parents" must be an array (ListParents, root first)');
  const policies = value.Policies;
  if (!isObject(policies))
    v.fail(`organization: field "Policies" must be an object of SCP lists by target id (${describe(policies)})`);
  for (const target of Object.keys(policies)) {
    v.elements(policies, target, 'organization.Policies', (p) =>
      isObject(p) &&
      isObject(p.PolicySummary) &&
      typeof p.PolicySummary.Id === 'string' &&
      typeof p.Content === 'string'
        ? undefined
        : 'DescribePolicy\'s Policy ({"PolicySummary": {"Id": ...}, "Content": "..."})',
    );
  }
  return value as unknown as OrganizationData;
}

/** The `iam` section: GetAccountAuthorizationDetails, ListServiceSpecificCredentials and ListSSHPublicKeys' shapes. */
function validateIam(raw: Json, v: Validator): IamData | undefined {
  const value = raw.iam;
  if (value === undefined) return undefined;
  if (!isObject(value)) v.fail(`field "iam" must be an object (${describe(value)})`);
  const details = value.AuthorizationDetails;
  if (!isObject(details))
    v.fail(`iam: field "AuthorizationDetails" must be GetAccountAuthorizationDetails' response (${describe(details)})`);
  const inlinePolicies = (p: unknown): boolean =>
    isObject(p) && typeof p.PolicyName === 'string' && isPolicyDocument(p.PolicyDocument);
  const attached = (p: unknown): boolean => isObject(p) && typeof p.PolicyArn === 'string';
  const list = (item: Json, field: string, each: (e: unknown) => boolean): boolean =>
    item[field] === undefined || (Array.isArray(item[field]) && (item[field] as unknown[]).every(each));
  v.elements(details, 'UserDetailList', 'iam.AuthorizationDetails', (u) =>
    isObject(u) &&
    typeof u.UserName === 'string' &&
    list(u, 'UserPolicyList', inlinePolicies) &&
    list(u, 'AttachedManagedPolicies', attached) &&
    list(u, 'GroupList', (g) => typeof g === 'string') &&
    list(u, 'Tags', (t) => isObject(t) && typeof t.Key === 'string')
      ? undefined
      : 'a user as GetAccountAuthorizationDetails gives it (UserName, UserPolicyList, AttachedManagedPolicies, GroupList)',
  );
  if (!Array.isArray(details.UserDetailList))
    v.fail('iam.AuthorizationDetails: field "UserDetailList" must be an array');
  v.elements(details, 'GroupDetailList', 'iam.AuthorizationDetails', (g) =>
    isObject(g) &&
    typeof g.GroupName === 'string' &&
    list(g, 'GroupPolicyList', inlinePolicies) &&
    list(g, 'AttachedManagedPolicies', attached)
      ? undefined
      : 'a group as GetAccountAuthorizationDetails gives it (GroupName, GroupPolicyList, AttachedManagedPolicies)',
  );
  v.elements(details, 'RoleDetailList', 'iam.AuthorizationDetails', (r) =>
    isObject(r) &&
    typeof r.RoleName === 'string' &&
    list(r, 'RolePolicyList', inlinePolicies) &&
    list(r, 'AttachedManagedPolicies', attached)
      ? undefined
      : 'a role as GetAccountAuthorizationDetails gives it (RoleName, RolePolicyList, AttachedManagedPolicies)',
  );
  v.elements(details, 'Policies', 'iam.AuthorizationDetails', (p) =>
    isObject(p) &&
    typeof p.Arn === 'string' &&
    list(p, 'PolicyVersionList', (pv) => isObject(pv) && isPolicyDocument(pv.Document))
      ? undefined
      : 'a managed policy as GetAccountAuthorizationDetails gives it (Arn, DefaultVersionId, PolicyVersionList)',
  );
  const strings = (item: unknown, fields: string[]): boolean =>
    isObject(item) && fields.every((f) => typeof item[f] === 'string');
  v.elements(value, 'ServiceSpecificCredentials', 'iam', (c) =>
    strings(c, ['UserName', 'ServiceSpecificCredentialId', 'Status'])
      ? undefined
      : 'a credential as ListServiceSpecificCredentials gives it',
  );
  v.elements(value, 'SSHPublicKeys', 'iam', (k) =>
    strings(k, ['UserName', 'SSHPublicKeyId', 'Status']) ? undefined : 'a key as ListSSHPublicKeys gives it',
  );
  return {
    AuthorizationDetails: details as unknown as IamData['AuthorizationDetails'],
    ServiceSpecificCredentials: (value.ServiceSpecificCredentials ?? []) as IamData['ServiceSpecificCredentials'],
    SSHPublicKeys: (value.SSHPublicKeys ?? []) as IamData['SSHPublicKeys'],
  };
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
