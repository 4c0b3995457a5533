/**
 * The account's IAM for CCE.13 (IAM users holding CodeCommit Git credentials usable from anywhere), read
 * once per account (IAM is global: the client's region does not matter) with the fewest calls:
 *
 * - GetAccountAuthorizationDetails, MaxItems 1000 (the API's maximum: `int<1, 1000>` in the IAM
 *   service model, as generated in sunaoka/aws-sdk-php-structures-generator; the same for
 *   ListSSHPublicKeys), Marker/IsTruncated paging, Filter User, Group, Role, LocalManagedPolicy and
 *   AWSManagedPolicy. AWS managed policies come back only when attached to some user, group or role of
 *   the account (cloudquery/cloudquery#13322: "GetAccountAuthorizationDetails API returns only attached
 *   AWS Managed Policies and all Customer Managed Policies"; joshlarsen/aws-recon#21 likewise collects
 *   the "in-use" policies with it), so asking for AWSManagedPolicy costs a few items, not every AWS
 *   managed policy there is, and gives every managed
 *   policy document attached to a user, group or role in the same pages, with no GetPolicyVersion call.
 *   Customer managed policies come back whether attached or not (LocalManagedPolicy has no "attached only"
 *   form), which the documents of permissions boundaries need anyway. Leaving out any of the five would
 *   need more calls for the documents it drops, so this filter is the fewest pages.
 * - ListServiceSpecificCredentials with ServiceName codecommit.amazonaws.com and AllUsers true: every
 *   user's HTTPS Git credentials, MaxItems 1000 (IAM API Reference, ListServiceSpecificCredentials: "Valid
 *   Range: Minimum value of 1. Maximum value of 1000."), looping on Marker while
 *   IsTruncated (the SDK has no paginator for it).
 * - ListSSHPublicKeys, per user, MaxItems 1000, only for the users `needsSshKeys` selects (those whose
 *   policies could let them use Git at all).
 *
 * IAM returns policy documents URL-encoded (RFC 3986) and the JavaScript SDK does not decode them: they
 * are decoded here, so IamData holds plain JSON text. Dates become ISO strings. Every page is counted in
 * the CallCounter under its operation. Errors propagate (the caller records a collection error `iam`).
 */
import {
  GetAccountAuthorizationDetailsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSSHPublicKeysCommand,
  type AttachedPermissionsBoundary,
  type AttachedPolicy,
  type GroupDetail,
  type IAMClient,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { CallCounter } from '../core/call-counter';
import type {
  IamData,
  IamGroupDetail,
  IamManagedPolicyDetail,
  IamRoleDetail,
  IamUserDetail,
  PolicyDocumentValue,
  ServiceSpecificCredential,
  SshPublicKey,
} from '../core/inventory';

/** The largest MaxItems of GetAccountAuthorizationDetails, ListServiceSpecificCredentials and ListSSHPublicKeys. */
export const IAM_PAGE_SIZE = 1000;
export const CODECOMMIT_SERVICE_NAME = 'codecommit.amazonaws.com';
/** Every entity type: AWSManagedPolicy gives only the attached ones (see above). */
export const AUTHORIZATION_FILTER = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

export interface CollectIamOptions {
  /** Whether to read this user's SSH public keys (one ListSSHPublicKeys call, or more, per user). */
  needsSshKeys: (user: IamUserDetail, data: Omit<IamData, 'SSHPublicKeys'>) => boolean;
  counter?: CallCounter;
}

/**
 * A policy document as IAM gives it, as plain JSON text: URL-decoded when it is URL-encoded (it starts
 * with `%7B` or holds `%22`), else kept; text that does not decode (a stray `%`) is kept as it is.
 */
export function decodePolicyDocument(document: PolicyDocumentValue): PolicyDocumentValue {
  if (typeof document !== 'string') return document;
  if (!/^\s*%7B/i.test(document) && !document.includes('%22')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

const iso = (date: Date | string | undefined): string | undefined =>
  date === undefined ? undefined : date instanceof Date ? date.toISOString() : String(date);

/** Copy the defined fields only, so the inventory carries no `undefined`. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const inline = (list: PolicyDetail[] | undefined) =>
  list?.map((p) => ({ PolicyName: p.PolicyName ?? '', PolicyDocument: decodePolicyDocument(p.PolicyDocument ?? '') }));
const attached = (list: AttachedPolicy[] | undefined) =>
  list?.flatMap((p) => (p.PolicyArn ? [defined({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn })] : []));
const boundary = (b: AttachedPermissionsBoundary | undefined) =>
  b?.PermissionsBoundaryArn
    ? defined({ PermissionsBoundaryType: b.PermissionsBoundaryType, PermissionsBoundaryArn: b.PermissionsBoundaryArn })
    : undefined;
const tags = (list: Tag[] | undefined) => list?.map((t) => ({ Key: t.Key, Value: t.Value }));

function userOf(user: UserDetail): IamUserDetail {
  return defined({
    UserName: user.UserName ?? '',
    UserId: user.UserId,
    Arn: user.Arn,
    Path: user.Path,
    CreateDate: iso(user.CreateDate),
    GroupList: user.GroupList,
    UserPolicyList: inline(user.UserPolicyList),
    AttachedManagedPolicies: attached(user.AttachedManagedPolicies),
    PermissionsBoundary: boundary(user.PermissionsBoundary),
    Tags: tags(user.Tags),
  });
}

function groupOf(group: GroupDetail): IamGroupDetail {
  return defined({
    GroupName: group.GroupName ?? '',
    GroupId: group.GroupId,
    Arn: group.Arn,
    Path: group.Path,
    GroupPolicyList: inline(group.GroupPolicyList),
    AttachedManagedPolicies: attached(group.AttachedManagedPolicies),
  });
}

function roleOf(role: RoleDetail): IamRoleDetail {
  return defined({
    RoleName: role.RoleName ?? '',
    RoleId: role.RoleId,
    Arn: role.Arn,
    Path: role.Path,
    RolePolicyList: inline(role.RolePolicyList),
    AttachedManagedPolicies: attached(role.AttachedManagedPolicies),
    PermissionsBoundary: boundary(role.PermissionsBoundary),
    Tags: tags(role.Tags),
  });
}

/** A managed policy with its default (effective) version only: the other versions grant nothing. */
function policyOf(policy: ManagedPolicyDetail): IamManagedPolicyDetail {
  const all = policy.PolicyVersionList ?? [];
  const defaults = all.filter(
    (v) => v.IsDefaultVersion === true || (v.VersionId !== undefined && v.VersionId === policy.DefaultVersionId),
  );
  // No version marked default (not seen from AWS): keep them all rather than lose the document.
  const versions = defaults.length > 0 ? defaults : all;
  return defined({
    PolicyName: policy.PolicyName,
    Arn: policy.Arn ?? '',
    DefaultVersionId: policy.DefaultVersionId,
    PolicyVersionList: versions.map((v) =>
      defined({
        VersionId: v.VersionId,
        IsDefaultVersion: v.IsDefaultVersion,
        Document: decodePolicyDocument(v.Document ?? ''),
      }),
    ),
  });
}

/** Pages of an IAM list call: Marker while IsTruncated, each page counted under `operation`. */
async function pages<P extends { IsTruncated?: boolean; Marker?: string }>(
  operation: string,
  counter: CallCounter,
  fetch: (Marker: string | undefined) => Promise<P>,
): Promise<P[]> {
  const out: P[] = [];
  let marker: string | undefined;
  do {
    counter.add(operation);
    const page = await fetch(marker);
    out.push(page);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

/**
 * Read the account's IAM: authorization details, CodeCommit HTTPS Git credentials, and the SSH keys of
 * the users that need them.
 */
export async function collectIam(client: IAMClient, options: CollectIamOptions): Promise<IamData> {
  const counter = options.counter ?? new CallCounter();

  const details = await pages('GetAccountAuthorizationDetails', counter, (Marker) =>
    client.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: [...AUTHORIZATION_FILTER], MaxItems: IAM_PAGE_SIZE, Marker }),
    ),
  );
  const AuthorizationDetails: IamData['AuthorizationDetails'] = {
    UserDetailList: details.flatMap((p) => p.UserDetailList ?? []).map(userOf),
    GroupDetailList: details.flatMap((p) => p.GroupDetailList ?? []).map(groupOf),
    RoleDetailList: details.flatMap((p) => p.RoleDetailList ?? []).map(roleOf),
    Policies: details.flatMap((p) => p.Policies ?? []).map(policyOf),
  };

  const credentialPages = await pages('ListServiceSpecificCredentials', counter, (Marker) =>
    client.send(
      new ListServiceSpecificCredentialsCommand({
        ServiceName: CODECOMMIT_SERVICE_NAME,
        AllUsers: true,
        MaxItems: IAM_PAGE_SIZE,
        Marker,
      }),
    ),
  );
  const ServiceSpecificCredentials: ServiceSpecificCredential[] = credentialPages
    .flatMap((p) => p.ServiceSpecificCredentials ?? [])
    .filter((c) => c.ServiceName === undefined || c.ServiceName === CODECOMMIT_SERVICE_NAME)
    .map((c) =>
      defined({
        UserName: c.UserName ?? '',
        ServiceSpecificCredentialId: c.ServiceSpecificCredentialId ?? '',
        ServiceName: c.ServiceName,
        ServiceUserName: c.ServiceUserName,
        Status: c.Status ?? '',
        CreateDate: iso(c.CreateDate),
      }),
    );

  const read: Omit<IamData, 'SSHPublicKeys'> = { AuthorizationDetails, ServiceSpecificCredentials };
  const SSHPublicKeys: SshPublicKey[] = [];
  for (const user of AuthorizationDetails.UserDetailList) {
    if (!options.needsSshKeys(user, read)) continue;
    const keyPages = await pages('ListSSHPublicKeys', counter, (Marker) =>
      client.send(new ListSSHPublicKeysCommand({ UserName: user.UserName, MaxItems: IAM_PAGE_SIZE, Marker })),
    );
    for (const key of keyPages.flatMap((p) => p.SSHPublicKeys ?? []))
      SSHPublicKeys.push(
        defined({
          UserName: key.UserName ?? user.UserName,
          SSHPublicKeyId: key.SSHPublicKeyId ?? '',
          Status: key.Status ?? '',
          UploadDate: iso(key.UploadDate),
        }),
      );
  }

  return { AuthorizationDetails, ServiceSpecificCredentials, SSHPublicKeys };
}
