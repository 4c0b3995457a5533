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

export const NETWORK_REACHABILITY =
  'Software and Configuration Checks/AWS Security Best Practices/Network Reachability';

/** Network Reachability, plus the types the check declares (FIPS controls, data exfiltration). */
function types(checkId: CheckId): string[] {
  return [NETWORK_REACHABILITY, ...(CHECKS.get(checkId)?.findingTypes ?? [])];
}

/** The user or role name an IAM ARN ends with (its path left out; `root` for the root user). */
function nameInArn(arn: string): string {
  return arn.slice(Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1);
}

function resources(f: Finding): Resource[] {
  const partition = partitionOf(f.region);
  if (f.resourceType === 'AWS::::Account') {
    return [{ Type: 'AwsAccount', Id: `AWS::::Account:${f.accountId}`, Partition: partition, Region: f.region }];
  }
  if (f.resourceType === 'AWS::IAM::User') {
    return [
      {
        Type: 'AwsIamUser',
        Id: f.resourceArn,
        Partition: partition,
        Region: f.region,
        ...(f.resourceId === '*' ? {} : { Details: { AwsIamUser: { UserName: nameInArn(f.resourceArn) } } }),
      },
    ];
  }
  if (f.resourceType === 'AWS::IAM::Role') {
    return [
      {
        Type: 'AwsIamRole',
        Id: f.resourceArn,
        Partition: partition,
        Region: f.region,
        Details: { AwsIamRole: { RoleName: nameInArn(f.resourceArn) } },
      },
    ];
  }
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

/** ASFF limits ProductFields to 50 pairs of ≤2,048-character values: the fix goes in parts. */
const FIELD_VALUE_MAX = 2048;
const MAX_FIX_PARTS = 40;
export const FIX_FIELD = `${TOOL}/FixPolicyDocument`;

/** The proven fix, whole when it fits one field, else in parts `…/FixPolicyDocument/1..n`. */
function fixFields(f: Finding): Record<string, string> {
  const policy = f.fix?.policyDocument;
  if (policy === undefined) return {};
  if (policy.length <= FIELD_VALUE_MAX) return { [FIX_FIELD]: policy };
  const parts = Math.ceil(policy.length / FIELD_VALUE_MAX);
  if (parts > MAX_FIX_PARTS)
    return { [FIX_FIELD]: 'too long for Security Hub: see the scan output (fix.policyDocument)' };
  const fields: Record<string, string> = { [`${FIX_FIELD}/Parts`]: String(parts) };
  for (let i = 0; i < parts; i++)
    fields[`${FIX_FIELD}/${i + 1}`] = policy.slice(i * FIELD_VALUE_MAX, (i + 1) * FIELD_VALUE_MAX);
  return fields;
}

/** Recommendation.Text holds 512 characters: with a fix, the words and where the whole policy is, not a cut command. */
function recommendation(f: Finding): string {
  if (!f.fix) return truncate(f.remediation, 512);
  const at = f.remediation.indexOf('aws ec2 modify-vpc-endpoint');
  const words = `${(at > 0 ? f.remediation.slice(0, at) : f.remediation).replace(/[:.\s]+$/, '')}.`;
  const where = ` The corrected policy is in ProductFields "${FIX_FIELD}"; apply it with aws ec2 modify-vpc-endpoint --policy-document.`;
  return `${truncate(words, 512 - where.length)}${where}`;
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
    Remediation: { Recommendation: { Text: recommendation(f), Url: CHECKS.get(f.checkId)?.remediationUrl } },
    ProductFields: {
      [CHECK_ID_FIELD]: f.checkId,
      [`${TOOL}/Status`]: f.status,
      ...(f.vpcId ? { [`${TOOL}/VpcId`]: f.vpcId } : {}),
      ...(archive ? {} : fixFields(f)),
    },
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

/** The ASFF findings a `--format asff` run would import (FAILED and ERROR; with reportPassed also PASSED). */
export function formatAsffFindings(
  findings: readonly Finding[],
  now: string,
  reportPassed = false,
): AwsSecurityFinding[] {
  return findings
    .filter((f) => f.status === 'FAILED' || f.status === 'ERROR' || (reportPassed && f.status === 'PASSED'))
    .map((f) => clean(toAsff(f, { now })));
}
