/**
 * The contract every check meets (DESIGN section 2): a plain object carrying its metadata,
 * the permissions and data it needs, its remediation and a pure `evaluate`. The catalogue
 * (functions/checks/index.ts) lists them; the IAM policies, the Config rules, the README's
 * check table and the default `checks` parameter all derive from it.
 */
import type { CheckId, Severity, Status } from './finding';
import type { DataKey, IamUserDetail, Vpc } from './inventory';
import type { AccountData, CodeCommitEndpoint, Scope } from './scope';
import type { PrincipalActivity } from './traffic';

export interface Verdict {
  status: Status;
  message: string;
  /** Overrides the check's severity for this result (CCE.6, CCE.7, CCE.9). */
  severity?: Severity;
  /** What to do; defaults to the check's remediation for FAILED results. */
  remediation?: string;
  /** A proven correction (the whole corrected policy), offered with the remediation. */
  fix?: { policyDocument: string };
}

export interface CheckMetadata {
  id: CheckId;
  title: string;
  severity: Severity;
  /** How the severity varies, in words, where it does (README). */
  severityNote?: string;
  /** When the check gives FAILED, in one line (README). */
  failsWhen: string;
  /** Why a failure matters. */
  risk: string;
  /** IAM actions needed to collect the data this check reads. */
  permissions: readonly string[];
  /** Data sets the check reads; a failed or missing one gives ERROR. */
  needs: readonly DataKey[];
  /** AWS documentation for the fix. */
  remediationUrl: string;
  /** ASFF finding types (taxonomy paths) beyond Network Reachability, e.g. for FIPS or exfiltration. */
  findingTypes?: readonly string[];
}

export interface VpcCheck extends CheckMetadata {
  resourceType: 'AWS::EC2::VPC';
  evaluate(vpc: Vpc, scope: Scope): Verdict;
  /** What to do about a FAILED result that brings no remediation of its own. */
  remediation?(vpc: Vpc, scope: Scope): string;
}

export interface EndpointCheck extends CheckMetadata {
  resourceType: 'AWS::EC2::VPCEndpoint';
  evaluate(endpoint: CodeCommitEndpoint, scope: Scope): Verdict;
  /** What to do about a FAILED result that brings no remediation of its own. */
  remediation?(endpoint: CodeCommitEndpoint, scope: Scope): string;
}

/** A check on the account as a whole (judged once per account, on the scope that carries its account-level data). */
export interface AccountCheck extends CheckMetadata {
  resourceType: 'AWS::::Account';
  evaluate(account: AccountData, scope: Scope): Verdict;
  remediation?(account: AccountData, scope: Scope): string;
}

/** A check on each IAM user of the account (account-level data). */
export interface UserCheck extends CheckMetadata {
  resourceType: 'AWS::IAM::User';
  evaluate(user: IamUserDetail, scope: Scope): Verdict;
  remediation?(user: IamUserDetail, scope: Scope): string;
}

/**
 * A check on each caller seen in the region's CodeCommit requests (CloudTrail): a regional check
 * whose findings are about IAM users and roles (`resourceType` of each finding: the caller's).
 */
export interface CallerCheck extends CheckMetadata {
  resourceType: 'caller';
  /** The resource types of its findings, in words (README). */
  resourceLabel: string;
  evaluate(activity: PrincipalActivity, scope: Scope): Verdict;
  remediation?(activity: PrincipalActivity, scope: Scope): string;
}

export type Check = VpcCheck | EndpointCheck | AccountCheck | UserCheck | CallerCheck;

/** Checks on the account or its IAM users: judged once per account, not per region. */
export function isAccountLevel(check: Pick<Check, 'resourceType'>): boolean {
  return check.resourceType === 'AWS::::Account' || check.resourceType === 'AWS::IAM::User';
}

/** Checks AWS Config can run: on the resources it records (VPCs and endpoints). */
export function hasConfigRule(check: Pick<Check, 'resourceType'>): boolean {
  return check.resourceType === 'AWS::EC2::VPC' || check.resourceType === 'AWS::EC2::VPCEndpoint';
}

/** What a check's findings are about, in words (README). */
export function resourceLabel(check: Check): string {
  return check.resourceType === 'caller' ? check.resourceLabel : check.resourceType;
}

export function verdict(status: Status, message: string, extra?: Omit<Verdict, 'status' | 'message'>): Verdict {
  return extra ? { status, message, ...extra } : { status, message };
}
