/**
 * Findings as AWS Security Finding Format (ASFF) for a Security Hub custom integration.
 * Ids are deterministic (tool + account + region + check + resource) so every scan
 * updates the same finding instead of adding one.
 */
import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { CATALOGUE } from '../checks/index';
import { truncate, type CheckId, type Finding } from '../core/finding';
import { partitionOf } from '../core/regions';

export const TOOL = 'codecommit-endpoint-auditor';
export const GENERATOR_PREFIX = `${TOOL}/`;
export const SCHEMA_VERSION = '2018-10-08';
const CHECK_ID_FIELD = `${TOOL}/CheckId`;

const CHECKS = new Map(CATALOGUE.map((check) => [check.id, check]));

export function productArn(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

export function findingId(f: Pick<Finding, 'accountId' | 'region' | 'checkId' | 'resourceId'>): string {
  return `${TOOL}/${f.accountId}/${f.region}/${f.checkId}/${f.resourceId}`;
}

export function generatorId(checkId: CheckId): string {
  return `${GENERATOR_PREFIX}${checkId}`;
}

const COMPLIANCE: Record<Finding['status'], 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'> = {
  PASSED: 'PASSED',
  FAILED: 'FAILED',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
  ERROR: 'NOT_AVAILABLE',
};

const NETWORK_REACHABILITY = 'Software and Configuration Checks/AWS Security Best Practices/Network Reachability';

/** Network Reachability, plus the types the check declares (FIPS controls, data exfiltration). */
function types(checkId: CheckId): string[] {
  return [NETWORK_REACHABILITY, ...(CHECKS.get(checkId)?.findingTypes ?? [])];
}

function resources(f: Finding): Resource[] {
  const partition = partitionOf(f.region);
  const vpc: Resource = {
    Type: 'AwsEc2Vpc',
    Id:
      f.resourceType === 'AWS::EC2::VPC' ? f.resourceArn : f.resourceArn.replace(/vpc-endpoint\/.*$/, `vpc/${f.vpcId}`),
    Partition: partition,
    Region: f.region,
  };
  if (f.resourceType === 'AWS::EC2::VPC') return [vpc];
  return [
    {
      Type: 'Other',
      Id: f.resourceArn,
      Partition: partition,
      Region: f.region,
      Details: { Other: { VpcEndpointId: f.resourceId, VpcId: f.vpcId, CloudFormationType: f.resourceType } },
    },
    vpc,
  ];
}

export interface AsffTimes {
  /** Now, ISO 8601. */
  now: string;
  /** CreatedAt and FirstObservedAt of the finding already in Security Hub, kept on re-import. */
  createdAt?: string | undefined;
  firstObservedAt?: string | undefined;
}

/** One finding as ASFF; `archive` marks a resolved finding (PASSED and ARCHIVED). */
export function toAsff(f: Finding, times: AsffTimes, archive = false): AwsSecurityFinding {
  const label = f.status === 'FAILED' ? f.severity : 'INFORMATIONAL';
  const status = archive && f.status === 'FAILED' ? 'PASSED' : COMPLIANCE[f.status];
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(f),
    ProductArn: productArn(f.accountId, f.region),
    ProductName: 'CodeCommit Endpoint Auditor',
    CompanyName: TOOL,
    GeneratorId: generatorId(f.checkId),
    AwsAccountId: f.accountId,
    Region: f.region,
    Types: types(f.checkId),
    CreatedAt: times.createdAt ?? times.now,
    UpdatedAt: times.now,
    FirstObservedAt: times.firstObservedAt ?? times.createdAt ?? times.now,
    LastObservedAt: times.now,
    Severity: { Label: label, Original: f.severity },
    FindingProviderFields: { Severity: { Label: label, Original: f.severity }, Types: types(f.checkId) },
    Title: truncate(`${f.checkId} ${f.title}`, 256),
    Description: truncate(f.message, 1024),
    Remediation: { Recommendation: { Text: truncate(f.remediation, 512), Url: CHECKS.get(f.checkId)?.remediationUrl } },
    ProductFields: { [CHECK_ID_FIELD]: f.checkId, [`${TOOL}/Status`]: f.status, [`${TOOL}/VpcId`]: f.vpcId },
    Resources: resources(f),
    Compliance: { Status: status },
    RecordState: archive ? 'ARCHIVED' : 'ACTIVE',
  };
}

/** A finding already in Security Hub, resolved by this scan: same Id, PASSED, ARCHIVED. */
export function resolvedAsff(previous: AwsSecurityFinding, now: string, why: string): AwsSecurityFinding {
  return {
    ...previous,
    UpdatedAt: now,
    LastObservedAt: now,
    Severity: { Label: 'INFORMATIONAL', Original: previous.Severity?.Original },
    FindingProviderFields: {
      ...previous.FindingProviderFields,
      Severity: { Label: 'INFORMATIONAL', Original: previous.Severity?.Original },
    },
    Description: truncate(`Resolved: ${why}`, 1024),
    Compliance: { Status: 'PASSED' },
    RecordState: 'ARCHIVED',
    // Fields Security Hub owns are not sent back.
    Workflow: undefined,
    WorkflowState: undefined,
    Note: undefined,
    ProcessedAt: undefined,
    UserDefinedFields: undefined,
    VerificationState: undefined,
  };
}

/** Drop undefined members so the JSON and the request carry only what is set. */
export function clean<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The ASFF findings a `--format asff` run would import (FAILED ones; with reportPassed also PASSED). */
export function formatAsffFindings(
  findings: readonly Finding[],
  now: string,
  reportPassed = false,
): AwsSecurityFinding[] {
  return findings
    .filter((f) => f.status === 'FAILED' || (reportPassed && f.status === 'PASSED'))
    .map((f) => clean(toAsff(f, { now })));
}
