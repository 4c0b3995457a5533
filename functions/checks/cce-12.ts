import { verdict, type AccountCheck, type Verdict } from '../core/check';
import type { IamData, OrganizationData } from '../core/inventory';
import type { Scope } from '../core/scope';
import { PolicyTooComplexError } from '../policy/budget';
import { parsePolicy } from '../policy/parse';
import {
  API_ACTIONS,
  GIT_ACTIONS,
  networkPerimeter,
  requestFromOutside,
  type Gate,
  type NetworkPerimeter,
} from '../policy/requests';
import {
  codeCommitPerimeterScp,
  describeBlocks,
  describePassage,
  describeTags,
  IAM_PERMISSIONS,
  NETWORK_DOCS,
  ORGANIZATIONS_PERMISSIONS,
  requestSetting,
  roleGates,
  scpGates,
  UnreadablePolicies,
  userGates,
} from './network-common';

const ACTIONS = [...GIT_ACTIONS, ...API_ACTIONS];

/** The SCP to attach, proven: with it on the account, no request from outside gets through. */
function provenScp(scope: Scope, organization: OrganizationData, gates: Gate[]): string | undefined {
  const scp = codeCommitPerimeterScp(scope);
  const parsed = parsePolicy(scp, 'attached');
  if (!parsed.ok) return undefined;
  const withScp = gates.map((gate, i) =>
    i === gates.length - 1
      ? { ...gate, policies: [...gate.policies, { label: 'the proposed SCP', policy: parsed.policy }] }
      : gate,
  );
  const result = networkPerimeter(
    withScp,
    ACTIONS,
    requestSetting(scope, organization),
    scope.params.perimeterExceptionTags,
  );
  return result.state === 'closed' || result.state === 'accepted' ? scp : undefined;
}

function scpRemediation(scope: Scope, organization: OrganizationData, gates: Gate[]): string {
  const scp = provenScp(scope, organization, gates);
  const where = organization.Parents[organization.Parents.length - 1]?.Id ?? scope.accountId;
  if (!scp)
    return `Attach an SCP that denies codecommit:* unless the request comes through a VPC endpoint, from trustedCidrs or via an AWS service (${NETWORK_DOCS.networkPerimeter}).`;
  return (
    `Attach an SCP that keeps CodeCommit inside your networks (requests through a VPC endpoint, from trustedCidrs or via an AWS service), ` +
    `from the management account: aws organizations create-policy --type SERVICE_CONTROL_POLICY --name codecommit-network-perimeter ` +
    `--description "CodeCommit only from our networks" --content '${scp}' && aws organizations attach-policy --policy-id POLICY_ID ` +
    `--target-id ${where} (this account's OU; or the root). To allow only your own VPCs, replace the Null aws:SourceVpce test with ` +
    `StringNotEqualsIfExists on aws:SourceVpc listing them.`
  );
}

function perimeterVerdict(result: NetworkPerimeter, scope: Scope, remediation: () => string): Verdict {
  const account = scope.accountId;
  const passage = result.passage;
  switch (result.state) {
    case 'open':
      return verdict(
        'FAILED',
        `Account ${account} lets CodeCommit be used from outside your networks: ${passage ? describePassage(passage, scope) : ''}.`,
        { remediation: remediation() },
      );
    case 'exception':
      return verdict(
        'FAILED',
        `Account ${account}'s SCPs keep CodeCommit inside your networks except for principals ${passage ? describeTags(passage) : ''} ` +
          `(a documented exception): list ${passage?.tags.join(', ') ?? ''} in perimeterExceptionTags once an SCP controls who may set the tag.`,
        {
          severity: 'LOW',
          remediation:
            `Make sure only your administrators can set ${passage?.tags.join(', ') ?? 'the tag'} on principals (an SCP denying iam:TagRole, ` +
            `iam:TagUser and sts:TagSession for it), then accept the exception in perimeterExceptionTags; or remove it from the SCP.`,
        },
      );
    case 'accepted':
      return verdict(
        'PASSED',
        `Account ${account}'s SCPs keep CodeCommit inside your networks, except for principals ${passage ? describeTags(passage) : ''}: an exception accepted by perimeterExceptionTags.`,
      );
    default: {
      const git = result.blocked.find((b) => b.action.startsWith('codecommit:Git'));
      const api = result.blocked.find((b) => !b.action.startsWith('codecommit:Git'));
      const reasons = describeBlocks(
        [git, api].filter((b) => b !== undefined),
        'Git and API requests',
      );
      return verdict(
        'PASSED',
        `Account ${account}'s SCPs deny CodeCommit requests from outside your networks: ${reasons}.`,
      );
    }
  }
}

/** SCPs never apply to the management account: only its identity policies can keep requests inside. */
function managementAccount(scope: Scope, iam: IamData | undefined): Verdict {
  const prefix = `SCPs never apply to management account ${scope.accountId}; judged on its identity policies only`;
  if (!iam)
    return verdict('ERROR', `${prefix}, and its IAM was not collected.`, {
      remediation: `Grant the auditor's role ${IAM_PERMISSIONS.join(', ')} in this account and scan again.`,
    });
  const setting = requestSetting(scope, undefined);
  const principals = [
    ...iam.AuthorizationDetails.UserDetailList.map((user) => ({
      name: `user ${user.UserName}`,
      gates: () => userGates(iam, user),
      principal: {
        arn: user.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:user/${user.UserName}`,
        type: 'User' as const,
        userName: user.UserName,
      },
    })),
    ...(iam.AuthorizationDetails.RoleDetailList ?? [])
      .filter((role) => !(role.Path ?? '').startsWith('/aws-service-role/'))
      .map((role) => ({
        name: `role ${role.RoleName}`,
        gates: () => roleGates(iam, role),
        principal: {
          arn: role.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:role/${role.RoleName}`,
          type: 'AssumedRole' as const,
        },
      })),
  ];
  for (const candidate of principals) {
    const { passage } = requestFromOutside(
      candidate.gates(),
      ACTIONS,
      { ...setting, principals: [candidate.principal] },
      new Map(),
    );
    if (passage) {
      const allow = passage.allowedBy[0];
      return verdict(
        'FAILED',
        `${prefix}: ${candidate.name} may use ${passage.action} from outside your networks (${allow ? allow.label : 'its policies'} allows it, nothing denies it).`,
        {
          remediation:
            'Keep CodeCommit out of the management account, or deny requests from outside your networks in the identity policies ' +
            `of its principals (a permissions boundary with the conditions of this SCP: ${codeCommitPerimeterScp(scope)}).`,
        },
      );
    }
  }
  return verdict('PASSED', `${prefix}: none of its users and roles may use CodeCommit from outside your networks.`);
}

export const cce12: AccountCheck = {
  id: 'CCE.12',
  title: 'Account lets CodeCommit be used from outside your networks',
  severity: 'HIGH',
  severityNote:
    'HIGH; LOW when only principals carrying (or lacking) a principal tag get through (a documented exception)',
  failsWhen:
    'no SCP in effect (root, OUs on the path, the account) denies CodeCommit requests by its principals from outside your VPC endpoints and `trustedCidrs`',
  resourceType: 'AWS::::Account',
  risk: 'Credentials of this account work from any network: code can be cloned or pushed from outside your networks whatever the VPC endpoints allow.',
  permissions: [...ORGANIZATIONS_PERMISSIONS],
  needs: ['organization'],
  remediationUrl: NETWORK_DOCS.scp,
  findingTypes: ['Effects/Data Exfiltration'],
  evaluate(account, scope) {
    const organization = account.organization;
    if (organization === null || organization === undefined) {
      return verdict(
        'FAILED',
        `Account ${scope.accountId} belongs to no organization: no SCP keeps its CodeCommit requests inside your networks.`,
        {
          remediation:
            'Join the account to an AWS Organization and attach an SCP that denies codecommit:* from outside your networks, ' +
            `or deny such requests in its principals' identity policies (${NETWORK_DOCS.networkPerimeter}).`,
        },
      );
    }
    try {
      if (organization.Organization.MasterAccountId === scope.accountId) return managementAccount(scope, account.iam);
      const gates = scpGates(organization, scope.accountId);
      const result = networkPerimeter(
        gates,
        ACTIONS,
        requestSetting(scope, organization),
        scope.params.perimeterExceptionTags,
      );
      return perimeterVerdict(result, scope, () => scpRemediation(scope, organization, gates));
    } catch (error) {
      if (error instanceof UnreadablePolicies || error instanceof PolicyTooComplexError)
        return verdict('ERROR', `Account ${scope.accountId}'s SCPs cannot be judged: ${error.message}.`, {
          remediation: 'Correct the policy the message names (it must be valid IAM policy JSON), then scan again.',
        });
      throw error;
    }
  },
};
