/**
 * Findings as OCSF 1.6.0 Compliance Findings (class_uid 2003, category Findings), one JSON
 * object per line (JSON Lines): the version the OCSF-native AWS Security Hub accepts, and a
 * 1.x event for Amazon Security Lake custom sources. The finding id is the ASFF one, so the
 * same finding keeps its id across scans and across both formats.
 */
import { CATALOGUE } from '../checks/index';
import type { Finding, Severity, Status } from '../core/finding';
import { partitionOf } from '../core/regions';
import { findingId, NETWORK_REACHABILITY, TOOL } from './asff';
import type { ReportMeta } from './report-meta';

export const OCSF_VERSION = '1.6.0';
export const PRODUCT_NAME = 'CodeCommit Endpoint Auditor';
/** The standard a finding's control belongs to: this tool's own check catalogue. */
export const STANDARD = PRODUCT_NAME;

const CLASS = { category_uid: 2, category_name: 'Findings', class_uid: 2003, class_name: 'Compliance Finding' };
/** Each scan reports its findings afresh: activity Create, so type_uid = 2003 × 100 + 1. */
const ACTIVITY = { activity_id: 1, activity_name: 'Create', type_uid: 200301, type_name: 'Compliance Finding: Create' };

/** severity_id of OCSF: 1 Informational … 5 Critical. */
export const OCSF_SEVERITY: Record<Severity, { id: number; caption: string }> = {
  INFORMATIONAL: { id: 1, caption: 'Informational' },
  LOW: { id: 2, caption: 'Low' },
  MEDIUM: { id: 3, caption: 'Medium' },
  HIGH: { id: 4, caption: 'High' },
  CRITICAL: { id: 5, caption: 'Critical' },
};

/**
 * compliance.status_id of OCSF: 1 Pass, 2 Warning ("the compliance check did not yield a result
 * due to missing information": what ERROR means here), 3 Fail, 99 Other (its caption is the
 * source's own word: Not Applicable). ERROR is never Pass or Fail.
 */
export const OCSF_COMPLIANCE_STATUS: Record<Status, { id: number; caption: string }> = {
  PASSED: { id: 1, caption: 'Pass' },
  ERROR: { id: 2, caption: 'Warning' },
  FAILED: { id: 3, caption: 'Fail' },
  NOT_APPLICABLE: { id: 99, caption: 'Not Applicable' },
};

const AWS_ACCOUNT = { type: 'AWS Account', type_id: 10 } as const;

interface OcsfAccount {
  uid: string;
  type: string;
  type_id: number;
}

export interface OcsfResource {
  uid: string;
  name: string;
  type: string;
  region: string;
  cloud_partition: string;
  owner: { account: OcsfAccount };
  data?: { vpc_id: string };
}

export interface OcsfComplianceFinding {
  metadata: {
    version: string;
    product: { name: string; uid: string; vendor_name: string; version: string };
    profiles: string[];
    event_code: string;
  };
  time: number;
  time_dt: string;
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  /** The finding's own state (OCSF's recommended status): New while it needs action, Resolved once it passes. */
  status_id?: number;
  status?: string;
  message: string;
  finding_info: { uid: string; title: string; desc: string; types: string[] };
  compliance: {
    control: string;
    standards: string[];
    status_id: number;
    status: string;
    status_code: Status;
    status_details: string[];
    checks: {
      uid: string;
      name: string;
      desc: string;
      severity: string;
      severity_id: number;
      status: string;
      status_id: number;
      standards: string[];
    }[];
  };
  remediation: { desc: string; references?: string[] };
  resources: OcsfResource[];
  cloud: { provider: 'AWS'; account: OcsfAccount; region: string; cloud_partition: string };
  /** What OCSF has no attribute for: the proven fix, machine-readable (the whole corrected policy). */
  unmapped?: { fix: { policyDocument: string } };
}

const CHECKS = new Map(CATALOGUE.map((check) => [check.id, check]));

/** The resource judged, and for an endpoint the VPC it belongs to. */
function resources(f: Finding): OcsfResource[] {
  const common = {
    region: f.region,
    cloud_partition: partitionOf(f.region),
    owner: { account: { uid: f.accountId, ...AWS_ACCOUNT } },
  };
  const judged: OcsfResource = {
    uid: f.resourceArn,
    name: f.resourceId,
    type: f.resourceType,
    ...common,
    ...(f.resourceType === 'AWS::EC2::VPCEndpoint' && f.vpcId ? { data: { vpc_id: f.vpcId } } : {}),
  };
  if (f.resourceType !== 'AWS::EC2::VPCEndpoint' || !f.vpcId) return [judged];
  const vpc: OcsfResource = {
    uid: f.resourceArn.replace(/vpc-endpoint\/.*$/, `vpc/${f.vpcId}`),
    name: f.vpcId,
    type: 'AWS::EC2::VPC',
    ...common,
  };
  return [judged, vpc];
}

/** One finding as an OCSF Compliance Finding. Severity is the check's for FAILED, Informational otherwise (as in ASFF). */
/** OCSF finding status: 1 New, 4 Resolved, 3 Suppressed (not applicable here). */
const FINDING_STATE: Record<Finding['status'], { status_id: number; status: string }> = {
  FAILED: { status_id: 1, status: 'New' },
  ERROR: { status_id: 1, status: 'New' },
  PASSED: { status_id: 4, status: 'Resolved' },
  NOT_APPLICABLE: { status_id: 3, status: 'Suppressed' },
};

/** One JSON line: line and paragraph separators escaped, so no reader splits an event in two. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u2028\u2029\u0085]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function toOcsf(f: Finding, meta: Pick<ReportMeta, 'scannedAt' | 'toolVersion'>): OcsfComplianceFinding {
  const check = CHECKS.get(f.checkId);
  const severity = OCSF_SEVERITY[f.status === 'FAILED' ? f.severity : 'INFORMATIONAL'];
  const checkSeverity = OCSF_SEVERITY[f.severity];
  const status = OCSF_COMPLIANCE_STATUS[f.status];
  const time = Date.parse(meta.scannedAt);
  return {
    metadata: {
      version: OCSF_VERSION,
      product: { name: PRODUCT_NAME, uid: TOOL, vendor_name: TOOL, version: meta.toolVersion },
      profiles: ['cloud', 'datetime'],
      event_code: f.checkId,
    },
    time,
    time_dt: new Date(time).toISOString(),
    ...CLASS,
    ...ACTIVITY,
    severity_id: severity.id,
    severity: severity.caption,
    ...FINDING_STATE[f.status],
    message: f.message,
    finding_info: {
      uid: findingId(f),
      title: `${f.checkId} ${f.title}`,
      desc: f.message,
      types: [NETWORK_REACHABILITY, ...(check?.findingTypes ?? [])],
    },
    compliance: {
      control: f.checkId,
      standards: [STANDARD],
      status_id: status.id,
      status: status.caption,
      status_code: f.status,
      status_details: [f.message],
      checks: [
        {
          uid: f.checkId,
          name: f.title,
          desc: check?.risk ?? f.title,
          severity: checkSeverity.caption,
          severity_id: checkSeverity.id,
          status: status.caption,
          status_id: status.id,
          standards: [STANDARD],
        },
      ],
    },
    remediation: { desc: f.remediation, ...(check ? { references: [check.remediationUrl] } : {}) },
    resources: resources(f),
    cloud: {
      provider: 'AWS',
      account: { uid: f.accountId, ...AWS_ACCOUNT },
      region: f.region,
      cloud_partition: partitionOf(f.region),
    },
    ...(f.fix ? { unmapped: { fix: { policyDocument: f.fix.policyDocument } } } : {}),
  };
}

/** JSON Lines: one event per line, `\n` after each; empty for no findings. */
export function* formatOcsfChunks(
  findings: readonly Finding[],
  meta: Pick<ReportMeta, 'scannedAt' | 'toolVersion'>,
  chunkSize = 1000,
): Generator<string> {
  for (let start = 0; start < findings.length; start += chunkSize) {
    let chunk = '';
    for (const finding of findings.slice(start, start + chunkSize)) chunk += `${jsonLine(toOcsf(finding, meta))}\n`;
    yield chunk;
  }
}

export function formatOcsf(findings: readonly Finding[], meta: Pick<ReportMeta, 'scannedAt' | 'toolVersion'>): string {
  return [...formatOcsfChunks(findings, meta)].join('');
}
