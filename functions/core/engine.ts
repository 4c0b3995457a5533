/**
 * The engine: runs the check catalogue over inventories and returns one finding per
 * (check, in-scope resource), sorted. Pure: no I/O, no clock, no AWS.
 */
import type { Check, Verdict } from '../checks/types';
import { errorMessage } from './errors';
import { compareFindings, MAX_MESSAGE_LENGTH, truncate, type Finding } from './finding';
import type { CollectionError, DataKey, ScopeInventory, Vpc } from './inventory';
import type { Params } from './params';
import { buildScope, endpointArn, hasTag, vpcArn, type Scope } from './scope';

const DATA_LABELS: Record<DataKey, string> = {
  vpcs: 'VPCs (ec2:DescribeVpcs)',
  vpcEndpoints: 'VPC endpoints (ec2:DescribeVpcEndpoints)',
  securityGroups: 'security groups (ec2:DescribeSecurityGroups)',
  subnets: 'subnets (ec2:DescribeSubnets)',
  endpointServices: 'endpoint services (ec2:DescribeVpcEndpointServices)',
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

/** Decisions every check shares before its own logic runs. */
function precondition(check: Check, scope: Scope, vpc: Vpc | undefined, vpcId: string): Verdict | undefined {
  if (scope.offer.services.size === 0) {
    const source = scope.offer.source === 'live' ? 'according to DescribeVpcEndpointServices' : 'according to the built-in region list';
    return { status: 'NOT_APPLICABLE', message: `Region ${scope.region} offers no CodeCommit interface endpoint service (${source}).` };
  }
  if (!vpc) {
    return { status: 'ERROR', message: `VPC ${vpcId} of this endpoint is not in the inventory, so its exemption and FIPS tags cannot be read.` };
  }
  if (hasTag(vpc, scope.params.exemptTag)) {
    return { status: 'NOT_APPLICABLE', message: `VPC ${vpc.VpcId} is exempted by tag ${scope.params.exemptTag.key}=${scope.params.exemptTag.value}.` };
  }
  if (scope.params.ignoreDefaultVpcs && vpc.IsDefault === true) {
    return { status: 'NOT_APPLICABLE', message: `VPC ${vpc.VpcId} is a default VPC and ignoreDefaultVpcs is true.` };
  }
  for (const key of check.needs) {
    const error = scope.errors.get(key);
    if (error) return { status: 'ERROR', message: `${DATA_LABELS[key]} ${collectionFailure(error)}`, remediation: errorRemediation(check, error) };
    if ((key === 'securityGroups' && !scope.securityGroups) || (key === 'subnets' && !scope.subnets)) {
      return {
        status: 'ERROR',
        message: `Data not collected: the inventory has no ${DATA_LABELS[key]}.`,
        remediation: `Collect ${key} (grant ${check.permissions.join(', ')}) or add "${key}" to the inventory file, then scan again.`,
      };
    }
  }
  return undefined;
}

function safely(run: () => Verdict): Verdict {
  try {
    return run();
  } catch (error) {
    return { status: 'ERROR', message: `Internal error while evaluating: ${errorMessage(error)}` };
  }
}

function remediationOf(check: Check, result: Verdict, fix: () => string): string {
  if (result.remediation !== undefined) return result.remediation;
  if (result.status !== 'FAILED') return 'No action needed.';
  try {
    return fix();
  } catch {
    return `See ${check.remediationUrl}`;
  }
}

function toFinding(check: Check, scope: Scope, resourceId: string, resourceArn: string, vpcId: string, result: Verdict, fix: () => string): Finding {
  return {
    checkId: check.id,
    title: check.title,
    status: result.status,
    severity: result.severity ?? check.severity,
    accountId: scope.accountId,
    region: scope.region,
    resourceType: check.resourceType,
    resourceId,
    resourceArn,
    vpcId,
    message: truncate(result.message, MAX_MESSAGE_LENGTH),
    remediation: remediationOf(check, result, fix),
  };
}

function evaluateScope(scope: Scope, checks: readonly Check[], out: Finding[]): void {
  const blocking = scope.errors.get('scope') ?? scope.errors.get('vpcs') ?? scope.errors.get('vpcEndpoints');
  for (const check of checks) {
    if (blocking) {
      const what = blocking.data === 'scope' ? `Account-region ${scope.accountId} ${scope.region}` : DATA_LABELS[blocking.data];
      const result: Verdict = { status: 'ERROR', message: `${what} ${collectionFailure(blocking)}`, remediation: errorRemediation(check, blocking) };
      const arn = check.resourceType === 'AWS::EC2::VPC' ? vpcArn(scope, '*') : endpointArn(scope, '*');
      out.push(toFinding(check, scope, '*', arn, '*', result, () => ''));
      continue;
    }
    if (check.resourceType === 'AWS::EC2::VPC') {
      for (const vpc of scope.vpcs.values()) {
        const result = precondition(check, scope, vpc, vpc.VpcId) ?? safely(() => check.evaluate(vpc, scope));
        out.push(toFinding(check, scope, vpc.VpcId, vpcArn(scope, vpc.VpcId), vpc.VpcId, result, () => check.remediation(vpc, scope)));
      }
    } else {
      for (const endpoint of scope.endpoints) {
        const vpc = scope.vpcs.get(endpoint.vpcId);
        const result = precondition(check, scope, vpc, endpoint.vpcId) ?? safely(() => check.evaluate(endpoint, scope));
        const fix = (): string => check.remediation(endpoint, scope);
        out.push(toFinding(check, scope, endpoint.id, endpointArn(scope, endpoint.id), endpoint.vpcId, result, fix));
      }
    }
  }
}

/** Evaluate inventories with the given checks (the catalogue, filtered by `params.checks`). */
export function evaluate(scopes: readonly ScopeInventory[], params: Params, catalogue: readonly Check[]): Finding[] {
  const selected = catalogue.filter((check) => params.checks.includes(check.id));
  const findings: Finding[] = [];
  for (const inventory of scopes) evaluateScope(buildScope(inventory, params), selected, findings);
  return findings.sort(compareFindings);
}

/** Account-regions whose collection was incomplete (CLI exit code 3). */
export function incompleteScopes(scopes: readonly ScopeInventory[]): { accountId: string; region: string; reason: string }[] {
  return scopes.flatMap((scope) => {
    const error = scope.collectionErrors?.find((e) => e.data !== 'endpointServices');
    return error ? [{ accountId: scope.accountId, region: scope.region, reason: `${error.operation}: ${error.code}` }] : [];
  });
}
