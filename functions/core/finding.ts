/** The finding model (DESIGN section 4). */

/** A check id (`CCE.n`); the list of ids is the catalogue's (functions/checks/index.ts), never written here. */
export type CheckId = `CCE.${number}`;

export const STATUSES = ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ResourceType =
  'AWS::EC2::VPC' | 'AWS::EC2::VPCEndpoint' | 'AWS::::Account' | 'AWS::IAM::User' | 'AWS::IAM::Role';

export interface Finding {
  checkId: CheckId;
  title: string;
  status: Status;
  severity: Severity;
  accountId: string;
  region: string;
  resourceType: ResourceType;
  resourceId: string;
  resourceArn: string;
  vpcId: string;
  message: string;
  remediation: string;
  /** A proven correction, machine-readable: for policy findings, the whole corrected policy as JSON text. */
  fix?: { policyDocument: string };
}

/** A resource answered for without running the checks (deleted, out of scope, not recorded), with the reason. */
export interface NotApplicableResource {
  /** A CloudFormation type; out-of-scope resources of any type are answered for too. */
  resourceType: string;
  resourceId: string;
  annotation: string;
}

export const MAX_MESSAGE_LENGTH = 256;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function checkNumber(id: CheckId): number {
  return Number(id.slice(4));
}

/** Cut a text to a length, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order on findings: account, region, VPC, resource, check number. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.vpcId, b.vpcId) ||
    compareStrings(a.resourceId, b.resourceId) ||
    checkNumber(a.checkId) - checkNumber(b.checkId)
  );
}
