/**
 * The IAM actions each part of the code needs, declared beside it and combined per
 * function. The deployed roles (infra/iam.generated.json, used by serverless.yml) and the
 * member-account role are generated from these, and a test checks them against the AWS
 * calls each bundled handler really makes.
 */
import { CATALOGUE } from '../checks/index';
import { hasConfigRule } from '../core/check';

/** The collector's calls (checks add nothing it does not read). */
export const COLLECTOR_ACTIONS = [
  'ec2:DescribeVpcs',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcEndpointServices',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeRouteTables',
] as const;

export const SECURITY_HUB_ACTIONS = ['securityhub:BatchImportFindings', 'securityhub:GetFindings'] as const;
/** PublishBatch is authorized as sns:Publish. */
export const SNS_ACTIONS = ['sns:Publish'] as const;
export const CONFIG_ACTIONS = [
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:GetComplianceDetailsByConfigRule',
] as const;
/** SendMessageBatch is authorized as sqs:SendMessage. */
export const SCHEDULER_ACTIONS = [
  // The organization's tree and SCPs at once (aws/organization readOrganizationTree), no call per account.
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListPolicies',
  'organizations:ListTargetsForPolicy',
  'organizations:DescribePolicy',
  // One account's path and SCPs (readAccountOrganization), for an explicit list or the scheduler's own account.
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
  'ec2:DescribeRegions',
  'sqs:SendMessage',
] as const;
export const ASSUME_ACTIONS = ['sts:AssumeRole'] as const;
/** The worker's scan reports (publish/s3-report), granted on the report bucket's `scans/*` only. */
export const REPORT_ACTIONS = ['s3:PutObject'] as const;

function sorted(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

/** The organization's SCPs are read by the scheduler (management account or delegated administrator), never in a member account. */
const isOrganizations = (action: string): boolean => action.startsWith('organizations:');

/** What the checks need read in each scanned account (the organization's SCPs aside). */
function accountActions(): string[] {
  return CATALOGUE.flatMap((c) => c.permissions).filter((action) => !isOrganizations(action));
}

/** What the checks need read from the organization (by the scheduler). */
export function organizationActions(): string[] {
  return sorted(CATALOGUE.flatMap((c) => c.permissions).filter(isOrganizations));
}

/** What a live scan (CLI) needs in the scanned account (and, for CCE.12, read access to its organization). */
export function scanActions(): string[] {
  return sorted([...CATALOGUE.flatMap((c) => c.permissions), ...COLLECTOR_ACTIONS, 'ec2:DescribeRegions']);
}

/** What the member-account role grants the worker. */
export function memberRoleActions(): string[] {
  return sorted([...accountActions(), ...COLLECTOR_ACTIONS, ...SECURITY_HUB_ACTIONS]);
}

/** The application actions each deployed function's role needs (infrastructure actions such as logs and SQS polling aside). */
export function functionActions(): Record<'scheduler' | 'worker' | 'config-rule' | 'traffic', string[]> {
  return {
    scheduler: sorted([...SCHEDULER_ACTIONS, ...organizationActions()]),
    // sqs:SendMessage: a task whose CloudTrail pages outlast the invocation queues its continuation.
    worker: sorted([...ASSUME_ACTIONS, ...memberRoleActions(), ...SNS_ACTIONS, 'sqs:SendMessage', ...REPORT_ACTIONS]),
    // The traffic function updates one caller's finding in the member account's Security Hub and alerts.
    traffic: sorted([...ASSUME_ACTIONS, ...SECURITY_HUB_ACTIONS, ...SNS_ACTIONS]),
    // Config rules judge VPCs and endpoints only: the account-level and CloudTrail checks have no rule.
    'config-rule': sorted([
      ...CONFIG_ACTIONS,
      ...CATALOGUE.filter(hasConfigRule).flatMap((c) => c.permissions),
      ...COLLECTOR_ACTIONS,
    ]),
  };
}
