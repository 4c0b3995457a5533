/** The contract every check meets (DESIGN section 2; one file per check, listed in index.ts). */
import type { CheckId, ResourceType, Severity, Status } from '../core/finding';
import type { DataKey, Vpc } from '../core/inventory';
import type { CodeCommitEndpoint, Scope } from '../core/scope';

export interface Verdict {
  status: Status;
  message: string;
  /** Overrides the check's severity for this result (CCE.6, CCE.7, CCE.9). */
  severity?: Severity;
  /** What to do; defaults to the check's remediation for FAILED results. */
  remediation?: string;
}

interface CheckMetadata {
  id: CheckId;
  title: string;
  severity: Severity;
  /** Why a failure matters. */
  risk: string;
  /** IAM actions needed to collect the data this check reads. */
  permissions: readonly string[];
  /** Data sets the check reads; a failed or missing one gives ERROR. */
  needs: readonly DataKey[];
  /** AWS documentation for the fix. */
  remediationUrl: string;
}

export interface VpcCheck extends CheckMetadata {
  resourceType: 'AWS::EC2::VPC';
  evaluate(vpc: Vpc, scope: Scope): Verdict;
  remediation(vpc: Vpc, scope: Scope): string;
}

export interface EndpointCheck extends CheckMetadata {
  resourceType: 'AWS::EC2::VPCEndpoint';
  evaluate(endpoint: CodeCommitEndpoint, scope: Scope): Verdict;
  remediation(endpoint: CodeCommitEndpoint, scope: Scope): string;
}

export type Check = VpcCheck | EndpointCheck;

export type { ResourceType };

export function verdict(status: Status, message: string, extra?: Omit<Verdict, 'status' | 'message'>): Verdict {
  return extra ? { status, message, ...extra } : { status, message };
}
