/**
 * What CCE.12 and CCE.13 share: the gates a request from outside your networks must pass (the
 * SCP chain on the account, a user's identity policies and permissions boundary), the request
 * setting, and the words that name a passage or a block.
 */
import { formatCidr } from '../core/cidr';
import type { IamData, IamUserDetail, OrganizationData, PolicyDocumentValue } from '../core/inventory';
import type { Scope } from '../core/scope';
import { parsePolicy } from '../policy/parse';
import type { Blocked, Gate, Passage, PolicyInEffect, RequestSetting } from '../policy/requests';

export const ORGANIZATIONS_PERMISSIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
  'organizations:DescribePolicy',
] as const;

export const IAM_PERMISSIONS = [
  'iam:GetAccountAuthorizationDetails',
  'iam:ListServiceSpecificCredentials',
  'iam:ListSSHPublicKeys',
] as const;

export const NETWORK_DOCS = {
  scp: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  networkPerimeter:
    'https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html',
  gitCredentials: 'https://docs.aws.amazon.com/codecommit/latest/userguide/setting-up-gc.html',
} as const;

/** Gates whose policies could not all be read: the reason, for an ERROR. */
export class UnreadablePolicies extends Error {}

function toPolicy(document: PolicyDocumentValue, label: string): PolicyInEffect {
  const parsed = parsePolicy(document, 'attached');
  if (!parsed.ok) throw new UnreadablePolicies(`${label} cannot be read: ${parsed.error}`);
  return { label, policy: parsed.policy };
}

function levelLabel(level: { Id: string; Type: string }): string {
  return level.Type === 'ROOT'
    ? `root ${level.Id}`
    : level.Type === 'ACCOUNT'
      ? `account ${level.Id}`
      : `OU ${level.Id}`;
}

/**
 * The SCP chain on an account: one gate per level (root, each OU on the path, the account), each
 * needing an Allow. SCPs not in use (no level lists any) give no gate.
 */
export function scpGates(organization: OrganizationData, accountId: string): Gate[] {
  const levels = [...organization.Parents, { Id: accountId, Type: 'ACCOUNT' }];
  if (levels.every((level) => (organization.Policies[level.Id] ?? []).length === 0)) return [];
  return levels.map((level) => ({
    label: levelLabel(level),
    policies: (organization.Policies[level.Id] ?? []).map((p) =>
      toPolicy(p.Content, `SCP "${p.PolicySummary.Name ?? p.PolicySummary.Id}"`),
    ),
  }));
}

/** The organization path of an account, as aws:PrincipalOrgPaths gives it (o-…/r-…/ou-…/). */
export function orgPath(organization: OrganizationData): string {
  return `${[organization.Organization.Id, ...organization.Parents.map((p) => p.Id)].join('/')}/`;
}

export function requestSetting(scope: Scope, organization: OrganizationData | null | undefined): RequestSetting {
  return {
    accountId: scope.accountId,
    region: scope.region,
    partition: scope.partition,
    organization: organization ? { id: organization.Organization.Id, path: orgPath(organization) } : undefined,
    trustedCidrs: scope.params.trustedCidrs,
  };
}

const MANAGED = new WeakMap<IamData, Map<string, { name: string; document: PolicyDocumentValue }>>();

/** The default version's document of each managed policy, by ARN (indexed once per IAM data set). */
function managedDocuments(iam: IamData): Map<string, { name: string; document: PolicyDocumentValue }> {
  const cached = MANAGED.get(iam);
  if (cached) return cached;
  const out = new Map<string, { name: string; document: PolicyDocumentValue }>();
  MANAGED.set(iam, out);
  for (const policy of iam.AuthorizationDetails.Policies ?? []) {
    const version =
      policy.PolicyVersionList?.find((v) => v.IsDefaultVersion) ??
      policy.PolicyVersionList?.find((v) => v.VersionId === policy.DefaultVersionId);
    if (version) out.set(policy.Arn, { name: policy.PolicyName ?? policy.Arn, document: version.Document });
  }
  return out;
}

function managed(iam: IamData, arn: string, label: string): PolicyInEffect {
  const found = managedDocuments(iam).get(arn);
  if (!found) throw new UnreadablePolicies(`${label} ${arn} is not in the collected managed policies`);
  return toPolicy(found.document, `${label} "${found.name}"`);
}

/** A user's identity policies (its own and its groups') and permissions boundary, as gates. */
export function userGates(iam: IamData, user: IamUserDetail): Gate[] {
  const identity: PolicyInEffect[] = [];
  for (const p of user.UserPolicyList ?? [])
    identity.push(toPolicy(p.PolicyDocument, `inline policy "${p.PolicyName}"`));
  for (const p of user.AttachedManagedPolicies ?? []) identity.push(managed(iam, p.PolicyArn, 'managed policy'));
  const groups = new Map((iam.AuthorizationDetails.GroupDetailList ?? []).map((g) => [g.GroupName, g]));
  for (const name of user.GroupList ?? []) {
    const group = groups.get(name);
    if (!group) throw new UnreadablePolicies(`group ${name} of user ${user.UserName} is not in the collected groups`);
    for (const p of group.GroupPolicyList ?? [])
      identity.push(toPolicy(p.PolicyDocument, `policy "${p.PolicyName}" of group ${name}`));
    for (const p of group.AttachedManagedPolicies ?? [])
      identity.push(managed(iam, p.PolicyArn, `group ${name}'s policy`));
  }
  const gates: Gate[] = [{ label: `the identity policies of ${user.UserName}`, policies: identity }];
  const boundary = user.PermissionsBoundary?.PermissionsBoundaryArn;
  if (boundary)
    gates.push({ label: 'the permissions boundary', policies: [managed(iam, boundary, 'permissions boundary')] });
  return gates;
}

/** A role's identity policies and permissions boundary, as gates (the management account's CCE.12). */
export function roleGates(
  iam: IamData,
  role: NonNullable<IamData['AuthorizationDetails']['RoleDetailList']>[number],
): Gate[] {
  const identity: PolicyInEffect[] = [];
  for (const p of role.RolePolicyList ?? [])
    identity.push(toPolicy(p.PolicyDocument, `inline policy "${p.PolicyName}"`));
  for (const p of role.AttachedManagedPolicies ?? []) identity.push(managed(iam, p.PolicyArn, 'managed policy'));
  const gates: Gate[] = [{ label: `the identity policies of role ${role.RoleName}`, policies: identity }];
  const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
  if (boundary)
    gates.push({ label: 'the permissions boundary', policies: [managed(iam, boundary, 'permissions boundary')] });
  return gates;
}

/** How a request gets through, in words: what lets it and from where. */
export function describePassage(passage: Passage, scope: Scope): string {
  const [escape] = passage.escapes;
  if (!escape) return `nothing denies ${passage.action} from ${passage.sourceIp} through no VPC endpoint`;
  const c = escape.condition;
  const values = c.values.length > 2 ? `${c.values.slice(0, 2).join(', ')}, …` : c.values.join(', ');
  if (c.keyLower === 'aws:sourceip')
    return `${escape.label} exempts ${values}, which trustedCidrs ${scope.params.trustedCidrs.length > 0 ? 'does not cover' : 'does not list'}`;
  return escape.outcome === 'unknown'
    ? `${escape.label} can be escaped through ${c.key}`
    : `${escape.label} exempts it (${c.key})`;
}

/** Why requests are blocked, in words: the Deny that applies, or the level with no Allow. */
export function describeBlock(blocked: Blocked): string {
  if (blocked.deniedBy) {
    const { label, statement } = blocked.deniedBy;
    return `${statement.sid ? `statement "${statement.sid}" of ` : ''}${label} denies ${blocked.action}`;
  }
  return `no policy of ${blocked.noAllowIn ?? 'one level'} allows ${blocked.action}`;
}

/** The blocks of several actions in words; those blocked by the same Deny are named once, as `what`. */
export function describeBlocks(blocked: readonly Blocked[], what: string): string {
  const [first] = blocked;
  if (first?.deniedBy && blocked.every((b) => b.deniedBy?.statement === first.deniedBy?.statement))
    return describeBlock(first).replace(/ denies \S+$/, ` denies ${what}`);
  return blocked.map(describeBlock).join('; ');
}

/** How a principal tag opens a passage, in words: tagged KEY (an exclusion) or lacking it (an opt-in). */
export function describeTags(passage: Passage): string {
  const phrases = passage.escapes
    .filter((e) => e.condition.keyLower.startsWith('aws:principaltag/'))
    .map((e) => {
      const key = e.condition.key.slice('aws:PrincipalTag/'.length);
      const value = e.condition.values[0] ?? '';
      return /Not/.test(e.condition.operator) ? `tagged ${key}=${value}` : `not tagged ${key}=${value}`;
    });
  return [...new Set(phrases)].join(' or ') || `carrying ${passage.tags.join(', ')}`;
}

/** An SCP that keeps CodeCommit inside your networks: through a VPC endpoint, from trustedCidrs, or via an AWS service. */
export function codeCommitPerimeterScp(scope: Scope): string {
  const cidrs = scope.params.trustedCidrs.map(formatCidr);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnforceNetworkPerimeterOnCodeCommit',
        Effect: 'Deny',
        Action: 'codecommit:*',
        Resource: '*',
        Condition: {
          ...(cidrs.length > 0 ? { NotIpAddressIfExists: { 'aws:SourceIp': cidrs } } : {}),
          Null: { 'aws:SourceVpce': 'true' },
          BoolIfExists: { 'aws:ViaAWSService': 'false' },
        },
      },
    ],
  });
}
