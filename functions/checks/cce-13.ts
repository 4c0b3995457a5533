import { verdict, type UserCheck, type Verdict } from '../core/check';
import type { IamData, IamUserDetail, OrganizationData } from '../core/inventory';
import { userArn, type Scope } from '../core/scope';
import { PolicyTooComplexError } from '../policy/budget';
import { GIT_ACTIONS, requestFromOutside, type Gate } from '../policy/requests';
import {
  codeCommitPerimeterScp,
  describeBlocks,
  describePassage,
  IAM_PERMISSIONS,
  NETWORK_DOCS,
  requestSetting,
  scpGates,
  UnreadablePolicies,
  userGates,
} from './network-common';

const CODECOMMIT_SERVICE = 'codecommit.amazonaws.com';

interface Credentials {
  https: IamData['ServiceSpecificCredentials'];
  ssh: IamData['SSHPublicKeys'];
}

/** The user's active CodeCommit Git credentials: HTTPS (service-specific) and SSH public keys. */
function activeCredentials(iam: IamData, user: IamUserDetail): Credentials {
  const active = (status: string): boolean => status.toLowerCase() === 'active';
  return {
    https: iam.ServiceSpecificCredentials.filter(
      (c) =>
        c.UserName === user.UserName &&
        active(c.Status) &&
        (c.ServiceName ?? CODECOMMIT_SERVICE) === CODECOMMIT_SERVICE,
    ),
    ssh: iam.SSHPublicKeys.filter((k) => k.UserName === user.UserName && active(k.Status)),
  };
}

function day(date: string | undefined): string {
  return date ? date.slice(0, 10) : 'an unknown date';
}

function describeCredentials({ https, ssh }: Credentials): string {
  const first = https[0];
  const key = ssh[0];
  const named = first
    ? `HTTPS credential ${first.ServiceSpecificCredentialId} (${day(first.CreateDate)})`
    : key
      ? `SSH key ${key.SSHPublicKeyId} (${day(key.UploadDate)})`
      : 'no credential';
  const more = https.length + ssh.length - 1;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** Commands that deactivate every active credential of the user. */
function deactivate(user: IamUserDetail, { https, ssh }: Credentials): string {
  return [
    ...https.map(
      (c) =>
        `aws iam update-service-specific-credential --user-name ${user.UserName} --service-specific-credential-id ${c.ServiceSpecificCredentialId} --status Inactive`,
    ),
    ...ssh.map(
      (k) =>
        `aws iam update-ssh-public-key --user-name ${user.UserName} --ssh-public-key-id ${k.SSHPublicKeyId} --status Inactive`,
    ),
  ].join(' && ');
}

/** The SCP levels that apply to the user, or why they cannot be known. */
function scpLevels(organization: OrganizationData | null | undefined, scope: Scope): Gate[] | 'not collected' {
  if (organization === undefined) return 'not collected';
  if (organization === null || organization.Organization.MasterAccountId === scope.accountId) return [];
  return scpGates(organization, scope.accountId);
}

function judgeUser(
  user: IamUserDetail,
  scope: Scope,
  iam: IamData,
  organization: OrganizationData | null | undefined,
): Verdict {
  const credentials = activeCredentials(iam, user);
  const tags = new Map((user.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key.toLowerCase(), t.Value ?? '']] : [])));
  const principal = { arn: userArn(scope, user), type: 'User' as const, userName: user.UserName };
  const setting = { ...requestSetting(scope, organization), principals: [principal] };
  if (credentials.https.length === 0 && credentials.ssh.length === 0) {
    // SSH keys are listed only for users whose own policies let Git through from outside.
    const own = requestFromOutside(userGates(iam, user), GIT_ACTIONS, setting, tags);
    return own.passage
      ? verdict('NOT_APPLICABLE', `User ${user.UserName} has no active CodeCommit Git credential (HTTPS or SSH).`)
      : verdict(
          'NOT_APPLICABLE',
          `User ${user.UserName} may not use Git from outside your networks (${describeBlocks(own.blocked, 'Git requests')}) and has no active HTTPS Git credential.`,
        );
  }
  const scps = scpLevels(organization, scope);
  const gates = [...userGates(iam, user), ...(scps === 'not collected' ? [] : scps)];
  const { passage, blocked } = requestFromOutside(gates, GIT_ACTIONS, setting, tags);
  const credential = describeCredentials(credentials);
  if (passage && scps === 'not collected') {
    return verdict(
      'ERROR',
      `User ${user.UserName}'s identity policies allow ${passage.action} from outside your networks, and the SCPs that could deny it were not collected.`,
      {
        remediation:
          "Scan from the organization's management account or a delegated administrator (the scheduler reads the SCPs), then scan again.",
      },
    );
  }
  if (passage) {
    const allow = passage.allowedBy[0];
    return verdict(
      'FAILED',
      `User ${user.UserName}'s ${credential} works from anywhere: ${allow ? `${allow.label} allows ${passage.action}` : passage.action}; ${describePassage(passage, scope)}.`,
      {
        remediation:
          `Deactivate the credential if it is not needed: ${deactivate(user, credentials)}. Or keep it and deny CodeCommit requests from outside your networks: ` +
          `attach an SCP (or a permissions boundary) with ${codeCommitPerimeterScp(scope)}.`,
      },
    );
  }
  const reason = describeBlocks(blocked, 'Git requests');
  return verdict(
    'PASSED',
    `User ${user.UserName}'s ${credential} cannot be used from outside your networks: ${reason || 'no policy allows Git'}.`,
  );
}

/**
 * Whether a user's own policies (identity and boundary, SCPs aside) let Git requests from outside
 * your networks through: only such users' SSH keys need listing (one IAM call per user).
 */
export function mayUseGitFromOutside(
  iam: Omit<IamData, 'SSHPublicKeys'>,
  user: IamUserDetail,
  where: Pick<Scope, 'accountId' | 'region' | 'partition' | 'params'>,
): boolean {
  try {
    const data = { ...iam, SSHPublicKeys: [] };
    const tags = new Map((user.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key.toLowerCase(), t.Value ?? '']] : [])));
    const setting = {
      accountId: where.accountId,
      region: where.region,
      partition: where.partition,
      organization: undefined,
      trustedCidrs: where.params.trustedCidrs,
      principals: [{ arn: userArn(where, user), type: 'User' as const, userName: user.UserName }],
    };
    return requestFromOutside(userGates(data, user), GIT_ACTIONS, setting, tags).passage !== undefined;
  } catch {
    return true; // a policy that cannot be read: list the keys, the check reports the policy
  }
}

export const cce13: UserCheck = {
  id: 'CCE.13',
  title: 'IAM user holds CodeCommit Git credentials usable from anywhere',
  severity: 'HIGH',
  failsWhen:
    "the user has an active HTTPS Git credential or SSH key, and its policies (identity, groups, boundary, the account's SCPs) allow `GitPull` or `GitPush` from outside your networks",
  resourceType: 'AWS::IAM::User',
  risk: 'A long-lived Git password or SSH key that works from any network: whoever holds it can clone or push from anywhere.',
  permissions: [...IAM_PERMISSIONS],
  needs: ['iam'],
  remediationUrl: NETWORK_DOCS.gitCredentials,
  findingTypes: ['Effects/Data Exfiltration'],
  evaluate(user, scope) {
    const account = scope.account;
    const iam = account?.iam;
    if (!account || !iam) return verdict('ERROR', 'Data not collected: IAM.');
    try {
      return judgeUser(user, scope, iam, account.organization);
    } catch (error) {
      if (error instanceof UnreadablePolicies || error instanceof PolicyTooComplexError)
        return verdict('ERROR', `User ${user.UserName}'s permissions cannot be judged: ${error.message}.`, {
          remediation: 'Correct or collect the policy the message names, then scan again.',
        });
      throw error;
    }
  },
};
