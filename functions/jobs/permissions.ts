/**
 * The IAM actions each part of the code needs, declared beside it and combined per
 * function. The deployed roles (infra/iam.generated.json, used by serverless.yml) and the
 * member-account role are generated from these, and a test checks them against the AWS
 * calls each bundled handler really makes.
 */
import { CATALOGUE } from '../checks/index';

/** The collector's calls (checks add nothing it does not read). */
export const COLLECTOR_ACTIONS = [
  'ec2:DescribeVpcs',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcEndpointServices',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
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
  'organizations:ListAccounts',
  'organizations:DescribeOrganization',
  'ec2:DescribeRegions',
  'sqs:SendMessage',
] as const;
export const ASSUME_ACTIONS = ['sts:AssumeRole'] as const;

function sorted(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

/** What a live scan (CLI) needs in the scanned account. */
export function scanActions(): string[] {
  return sorted([...CATALOGUE.flatMap((c) => c.permissions), ...COLLECTOR_ACTIONS, 'ec2:DescribeRegions']);
}

/** What the member-account role grants the worker. */
export function memberRoleActions(): string[] {
  return sorted([...CATALOGUE.flatMap((c) => c.permissions), ...COLLECTOR_ACTIONS, ...SECURITY_HUB_ACTIONS]);
}

/** The application actions each deployed function's role needs (infrastructure actions such as logs and SQS polling aside). */
export function functionActions(): Record<'scheduler' | 'worker' | 'config-rule', string[]> {
  return {
    scheduler: sorted(SCHEDULER_ACTIONS),
    worker: sorted([...ASSUME_ACTIONS, ...memberRoleActions(), ...SNS_ACTIONS]),
    'config-rule': sorted([...CONFIG_ACTIONS, ...CATALOGUE.flatMap((c) => c.permissions), ...COLLECTOR_ACTIONS]),
  };
}
