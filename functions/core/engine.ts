/**
 * The engine: runs the check catalogue over inventories and returns one finding per
 * (check, in-scope resource), sorted. Pure: no I/O, no clock, no AWS.
 */
import { isAccountLevel, type CallerCheck, type Check, type EndpointCheck, type Verdict, type VpcCheck } from './check';
import { errorMessage } from './errors';
import { checkNumber, MAX_MESSAGE_LENGTH, truncate, type Finding, type ResourceType } from './finding';
import type { CollectionError, DataKey, ScopeInventory, Vpc } from './inventory';
import type { Params } from './params';
import {
  accountArn,
  buildScope,
  carriesAccountData,
  endpointArn,
  endpointsOf,
  hasTag,
  userArn,
  vpcArn,
  type Scope,
} from './scope';

const DATA_LABELS: Record<DataKey, string> = {
  vpcs: 'VPCs (ec2:DescribeVpcs)',
  vpcEndpoints: 'VPC endpoints (ec2:DescribeVpcEndpoints)',
  securityGroups: 'security groups (ec2:DescribeSecurityGroups)',
  subnets: 'subnets (ec2:DescribeSubnets)',
  endpointServices: 'endpoint services (ec2:DescribeVpcEndpointServices)',
  routeTables: 'route tables (ec2:DescribeRouteTables)',
  organization: 'SCPs of the organization (organizations:ListParents, ListPoliciesForTarget, DescribePolicy)',
  iam: 'IAM users and policies (iam:GetAccountAuthorizationDetails, ListServiceSpecificCredentials, ListSSHPublicKeys)',
  cloudTrailEvents: 'CodeCommit events of CloudTrail (cloudtrail:LookupEvents)',
};

function collectionFailure(error: CollectionError): string {
  return `could not be evaluated: ${error.operation} failed with ${error.code}: ${error.message}`;
}

function errorRemediation(check: Check, error: CollectionError): string {
  if (error.code === 'UnauthorizedOperation' || error.code.startsWith('AccessDenied')) {
    return `Grant the auditor's role ${check.permissions.join(', ')} in this account and scan again.`;
  }
  if (error.code === 'OptInRequired' || error.code === 'AuthFailure') {
    return 'Enable the region for the account (or remove it from the scan) and scan again.';
  }
  return 'Resolve the collection error and scan again.';
}

/** Decisions every check shares about a resource, made once per resource. */
function resourcePrecondition(scope: Scope, vpc: Vpc | undefined, vpcId: string): Verdict | undefined {
  if (scope.offer.services.size === 0) {
    const source =
      scope.offer.source === 'live'
        ? 'according to DescribeVpcEndpointServices'
        : 'according to the built-in region list';
    return {
      status: 'NOT_APPLICABLE',
      message: `Region ${scope.region} offers no CodeCommit interface endpoint service (${source}).`,
    };
  }
  if (!vpc) {
    return {
      status: 'ERROR',
      message: `VPC ${vpcId} of this endpoint is not in the inventory, so its exemption and FIPS tags cannot be read.`,
    };
  }
  if (hasTag(vpc, scope.params.exemptTag)) {
    return {
      status: 'NOT_APPLICABLE',
      message: `VPC ${vpc.VpcId} is exempted by tag ${scope.params.exemptTag.key}=${scope.params.exemptTag.value}.`,
    };
  }
  if (scope.params.ignoreDefaultVpcs && vpc.IsDefault === true) {
    return { status: 'NOT_APPLICABLE', message: `VPC ${vpc.VpcId} is a default VPC and ignoreDefaultVpcs is true.` };
  }
  return undefined;
}

/** Data a check needs that the collection failed to read or did not collect (or the whole account-region was lost). */
function missingData(check: Check, scope: Scope): Verdict | undefined {
  const lost = scope.errors.get('scope');
  if (lost)
    return {
      status: 'ERROR',
      message: `Account-region ${scope.accountId} ${scope.region} ${collectionFailure(lost)}`,
      remediation: errorRemediation(check, lost),
    };
  for (const key of check.needs) {
    const error = scope.errors.get(key);
    if (error)
      return {
        status: 'ERROR',
        message: `${DATA_LABELS[key]} ${collectionFailure(error)}`,
        remediation: errorRemediation(check, error),
      };
    const notCollected =
      (key === 'securityGroups' && !scope.securityGroups) ||
      (key === 'subnets' && !scope.subnets) ||
      (key === 'organization' && scope.account?.organization === undefined) ||
      (key === 'iam' && scope.account?.iam === undefined) ||
      (key === 'cloudTrailEvents' && scope.traffic === undefined);
    if (notCollected) {
      return {
        status: 'ERROR',
        message: `Data not collected: the inventory has no ${DATA_LABELS[key]}.`,
        remediation: `Collect ${key} (grant ${check.permissions.join(', ')}) or add "${key}" to the inventory file, then scan again.`,
      };
    }
  }
  return undefined;
}

function toFinding(
  check: Check,
  scope: Scope,
  resourceId: string,
  resourceArn: string,
  vpcId: string,
  result: Verdict,
  remediation: string,
  resourceType: ResourceType = check.resourceType === 'caller' ? 'AWS::IAM::User' : check.resourceType,
): Finding {
  return {
    checkId: check.id,
    title: check.title,
    status: result.status,
    severity: result.severity ?? check.severity,
    accountId: scope.accountId,
    region: scope.region,
    resourceType,
    resourceId,
    resourceArn,
    vpcId,
    message:
      result.message.length <= MAX_MESSAGE_LENGTH ? result.message : truncate(result.message, MAX_MESSAGE_LENGTH),
    remediation,
    ...(result.fix ? { fix: result.fix } : {}),
  };
}

const NO_ACTION = 'No action needed.';

interface Judgeable<R> {
  evaluate(resource: R, scope: Scope): Verdict;
  remediation?(resource: R, scope: Scope): string;
  remediationUrl: string;
}

/** Run one check on one resource; an exception is an ERROR for that resource only. */
function judge<R>(check: Judgeable<R>, resource: R, scope: Scope): Verdict {
  try {
    return check.evaluate(resource, scope);
  } catch (error) {
    return {
      status: 'ERROR',
      message: `Internal error while evaluating: ${errorMessage(error)}`,
      remediation: 'Report this internal error with the inventory that caused it; the other resources were judged.',
    };
  }
}

/**
 * What to do about a result: the verdict's own remediation, the check's for FAILED, a pointer
 * for an ERROR that brought none (never "No action needed"), else nothing.
 */
function remediationFor<R>(check: Judgeable<R>, resource: R, scope: Scope, result: Verdict): string {
  if (result.remediation !== undefined) return result.remediation;
  if (result.status === 'ERROR')
    return `Resolve what the message names, then scan again (see ${check.remediationUrl}).`;
  if (result.status !== 'FAILED') return NO_ACTION;
  try {
    return check.remediation?.(resource, scope) ?? `See ${check.remediationUrl}`;
  } catch {
    return `See ${check.remediationUrl}`;
  }
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function wildcardArn(check: Check, scope: Scope): string {
  switch (check.resourceType) {
    case 'AWS::EC2::VPC':
      return vpcArn(scope, '*');
    case 'AWS::EC2::VPCEndpoint':
      return endpointArn(scope, '*');
    case 'AWS::::Account':
      return accountArn(scope);
    case 'caller':
      return `arn:${scope.partition}:iam::${scope.accountId}:*`;
    default:
      return userArn(scope, { UserName: '*' });
  }
}

/**
 * The account-level findings (account and IAM users) of the scope that carries the account's
 * data, sorted by resource then check: they come first in the scope (their vpcId is empty).
 */
function evaluateAccount(scope: Scope, checks: readonly Check[], found: Finding[]): void {
  for (const check of checks) {
    const missing = missingData(check, scope);
    if (check.resourceType === 'AWS::::Account') {
      const account = scope.account ?? { organization: undefined, iam: undefined };
      const result = missing ?? judge(check, account, scope);
      const remediation = remediationFor(check, account, scope, result);
      found.push(toFinding(check, scope, scope.accountId, accountArn(scope), '', result, remediation));
    } else if (check.resourceType === 'AWS::IAM::User') {
      const users = scope.account?.iam?.AuthorizationDetails.UserDetailList;
      if (missing || !users) {
        const result = missing ?? { status: 'ERROR', message: 'Data not collected: no IAM users in the inventory.' };
        found.push(
          toFinding(check, scope, '*', wildcardArn(check, scope), '', result, result.remediation ?? NO_ACTION),
        );
        continue;
      }
      for (const user of users) {
        const result = judge(check, user, scope);
        const remediation = remediationFor(check, user, scope, result);
        found.push(toFinding(check, scope, user.UserName, userArn(scope, user), '', result, remediation));
      }
    }
  }
}

/**
 * The findings of the checks on callers (CCE.14): one per principal seen in the region's
 * CodeCommit requests, and an ERROR for records that could not be read.
 */
function evaluateCallers(scope: Scope, checks: readonly CallerCheck[], found: Finding[]): void {
  for (const check of checks) {
    const missing = missingData(check, scope);
    const traffic = scope.traffic;
    if (missing || !traffic) {
      const result = missing ?? { status: 'ERROR', message: 'Data not collected: no CloudTrail events.' };
      found.push(toFinding(check, scope, '*', wildcardArn(check, scope), '', result, result.remediation ?? NO_ACTION));
      continue;
    }
    for (const activity of traffic.principals) {
      const { principal } = activity;
      const result = judge(check, activity, scope);
      const remediation = remediationFor(check, activity, scope, result);
      found.push(toFinding(check, scope, principal.id, principal.arn, '', result, remediation, principal.type));
    }
    if (traffic.unreadable > 0) {
      const result: Verdict = {
        status: 'ERROR',
        message: `${traffic.unreadable} CloudTrail record(s) could not be judged (${traffic.firstProblem ?? 'unreadable'}); the others were.`,
        remediation: 'Check the records named (a recorded inventory may have been edited) and scan again.',
      };
      found.push(toFinding(check, scope, '*', wildcardArn(check, scope), '', result, result.remediation ?? NO_ACTION));
    }
  }
}

/**
 * Findings of one scope, produced directly in the order of compareFindings
 * (VPC, then resource, then check number), so no sort of the whole result is needed.
 * `accountChecks`: the account-level checks, on the scope that answers for the account.
 */
function evaluateScope(
  scope: Scope,
  allChecks: readonly Check[],
  accountChecks: readonly Check[],
  out: Finding[],
): void {
  // Findings without a VPC (the account, its users, callers) come first, by resource then check.
  const unplaced: Finding[] = [];
  if (accountChecks.length > 0) evaluateAccount(scope, accountChecks, unplaced);
  const callerChecks = allChecks.filter((c): c is CallerCheck => c.resourceType === 'caller');
  if (callerChecks.length > 0) evaluateCallers(scope, callerChecks, unplaced);
  unplaced.sort((a, b) => byString(a.resourceId, b.resourceId) || checkNumber(a.checkId) - checkNumber(b.checkId));
  out.push(...unplaced);
  const checks = allChecks.filter((check) => !isAccountLevel(check) && check.resourceType !== 'caller');
  if (checks.length === 0) return;
  const blocking = scope.errors.get('scope') ?? scope.errors.get('vpcs') ?? scope.errors.get('vpcEndpoints');
  if (blocking) {
    for (const check of checks) {
      const what =
        blocking.data === 'scope' ? `Account-region ${scope.accountId} ${scope.region}` : DATA_LABELS[blocking.data];
      const result: Verdict = {
        status: 'ERROR',
        message: `${what} ${collectionFailure(blocking)}`,
        remediation: errorRemediation(check, blocking),
      };
      out.push(toFinding(check, scope, '*', wildcardArn(check, scope), '*', result, result.remediation ?? NO_ACTION));
    }
    return;
  }
  const vpcChecks = checks.filter((c): c is VpcCheck => c.resourceType === 'AWS::EC2::VPC');
  const endpointChecks = checks.filter((c): c is EndpointCheck => c.resourceType === 'AWS::EC2::VPCEndpoint');
  const missing = new Map(checks.map((c) => [c.id, missingData(c, scope)]));
  const vpcIds = new Set(scope.vpcs.keys());
  if (endpointChecks.length > 0) for (const id of scope.endpointsByVpc.keys()) vpcIds.add(id);

  for (const vpcId of [...vpcIds].sort(byString)) {
    const vpc = scope.vpcs.get(vpcId);
    const common = resourcePrecondition(scope, vpc, vpcId);
    const emitVpc = (): void => {
      if (!vpc) return;
      const arn = vpcArn(scope, vpcId);
      for (const check of vpcChecks) {
        const result = common ?? missing.get(check.id) ?? judge(check, vpc, scope);
        out.push(toFinding(check, scope, vpcId, arn, vpcId, result, remediationFor(check, vpc, scope, result)));
      }
    };
    // Endpoints are sorted by id when the scope is built; the VPC takes its place among them by id.
    let vpcDone = false;
    for (const endpoint of endpointChecks.length > 0 ? endpointsOf(scope, vpcId) : []) {
      if (!vpcDone && byString(vpcId, endpoint.id) < 0) {
        emitVpc();
        vpcDone = true;
      }
      const arn = endpointArn(scope, endpoint.id);
      for (const check of endpointChecks) {
        const result = common ?? missing.get(check.id) ?? judge(check, endpoint, scope);
        out.push(
          toFinding(check, scope, endpoint.id, arn, vpcId, result, remediationFor(check, endpoint, scope, result)),
        );
      }
    }
    if (!vpcDone) emitVpc();
  }
}

/** Evaluate inventories with the given checks (the catalogue, filtered by `params.checks`). */
export function evaluate(scopes: readonly ScopeInventory[], params: Params, catalogue: readonly Check[]): Finding[] {
  const selected = catalogue
    .filter((check) => params.checks.includes(check.id))
    .sort((a, b) => checkNumber(a.id) - checkNumber(b.id));
  const ordered = [...scopes].sort((a, b) => byString(a.accountId, b.accountId) || byString(a.region, b.region));
  const accountChecks = selected.filter(isAccountLevel);
  // Each account is answered for once: on the scope that carries its account-level data, else
  // (the data was not collected: ERROR) on its first scope.
  const answering = new Map<string, ScopeInventory>();
  for (const inventory of ordered) {
    const current = answering.get(inventory.accountId);
    if (!current || (!carriesAccountData(current) && carriesAccountData(inventory)))
      answering.set(inventory.accountId, inventory);
  }
  const findings: Finding[] = [];
  for (const inventory of ordered) {
    const here = answering.get(inventory.accountId) === inventory ? accountChecks : [];
    evaluateScope(buildScope(inventory, params), selected, here, findings);
  }
  return findings;
}

/**
 * Account-regions whose collection was incomplete (CLI exit code 3). `regionalOnly`: only what
 * the VPC and endpoint checks read counts (a failed read of the account's IAM or SCPs aside: their own
 * checks give ERROR on '*'). CloudTrail is evidence, not configuration: a failed read is CCE.14's ERROR
 * (and a warning on the command line), never an incomplete scan.
 */
export function incompleteScopes(
  scopes: readonly ScopeInventory[],
  regionalOnly = false,
): { accountId: string; region: string; reason: string }[] {
  return scopes.flatMap((scope) => {
    const error = scope.collectionErrors?.find(
      (e) =>
        e.data !== 'endpointServices' &&
        e.data !== 'cloudTrailEvents' &&
        !(regionalOnly && (e.data === 'organization' || e.data === 'iam')),
    );
    return error
      ? [{ accountId: scope.accountId, region: scope.region, reason: `${error.operation}: ${error.code}` }]
      : [];
  });
}
