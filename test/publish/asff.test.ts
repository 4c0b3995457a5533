import { describe, expect, it } from 'vitest';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIX_FIELD, findingId, formatAsffFindings, productArn, toAsff } from '../../functions/publish/asff';
import { runCli } from '../../functions/cli/main';
import type { Finding } from '../../functions/core/finding';

/** The fields BatchImportFindings requires of every finding. */
const REQUIRED: (keyof AwsSecurityFinding)[] = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'UpdatedAt',
  'Title',
  'Description',
  'Resources',
];

export const FAILED_VPC: Finding = {
  checkId: 'CCE.3',
  title: 'VPC that requires FIPS has no FIPS endpoint',
  status: 'FAILED',
  severity: 'HIGH',
  accountId: '123456789012',
  region: 'us-east-2',
  resourceType: 'AWS::EC2::VPC',
  resourceId: 'vpc-0abc',
  resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0abc',
  vpcId: 'vpc-0abc',
  message: 'FIPS is required for VPC vpc-0abc but it has no available endpoint.',
  remediation: 'aws ec2 create-vpc-endpoint ...',
};

describe('ASFF mapping', () => {
  it('has every required field and valid values', () => {
    const asff = toAsff(FAILED_VPC, { now: '2026-11-26T10:00:00.000Z' });
    for (const field of REQUIRED) expect(asff[field], field).toBeTruthy();
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.3/vpc-0abc',
      ProductArn: 'arn:aws:securityhub:us-east-2:123456789012:product/123456789012/default',
      GeneratorId: 'codecommit-endpoint-auditor/CCE.3',
      AwsAccountId: '123456789012',
      Region: 'us-east-2',
      Severity: { Label: 'HIGH', Original: 'HIGH' },
      Title: 'CCE.3 VPC that requires FIPS has no FIPS endpoint',
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      ProductFields: { 'codecommit-endpoint-auditor/CheckId': 'CCE.3' },
      Resources: [
        {
          Type: 'AwsEc2Vpc',
          Id: 'arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0abc',
          Partition: 'aws',
          Region: 'us-east-2',
        },
      ],
      Remediation: {
        Recommendation: {
          Text: 'aws ec2 create-vpc-endpoint ...',
          Url: 'https://docs.aws.amazon.com/codecommit/latest/userguide/codecommit-and-interface-VPC.html',
        },
      },
    });
    expect(asff.Types?.length).toBeGreaterThan(0);
  });

  it('describes an endpoint and its VPC, keeping CreatedAt of the existing finding', () => {
    const endpoint: Finding = {
      ...FAILED_VPC,
      checkId: 'CCE.4',
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId: 'vpce-1',
      resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-1',
    };
    const asff = toAsff(endpoint, { now: '2026-11-26T10:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(asff.CreatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(asff.FirstObservedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(asff.UpdatedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(asff.Resources?.map((r) => [r.Type, r.Id])).toEqual([
      ['Other', 'arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-1'],
      ['AwsEc2Vpc', 'arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0abc'],
    ]);
  });

  it('uses the partition of the region in ProductArn', () => {
    expect(productArn('123456789012', 'cn-north-1')).toBe(
      'arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default',
    );
    expect(productArn('123456789012', 'us-gov-west-1')).toBe(
      'arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:product/123456789012/default',
    );
  });

  it('gives the same Id whatever the message or severity', () => {
    const lower: Finding = { ...FAILED_VPC, severity: 'LOW', message: 'other' };
    expect(findingId(lower)).toBe(findingId(FAILED_VPC));
  });

  it('--format asff prints the FAILED and ERROR findings of the demo as ASFF, needing no AWS access', async () => {
    let stdout = '';
    const code = await runCli(['--demo', '--format', 'asff'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: {},
    });
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as AwsSecurityFinding[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      for (const field of REQUIRED) expect(f[field], field).toBeTruthy();
      const status = f.ProductFields?.['codecommit-endpoint-auditor/Status'];
      // ERROR (data missing) is NOT_AVAILABLE, INFORMATIONAL, with its reason: never dropped, never FAILED.
      expect([status, f.Compliance?.Status]).toEqual(
        status === 'ERROR' ? ['ERROR', 'NOT_AVAILABLE'] : ['FAILED', 'FAILED'],
      );
      if (status === 'ERROR') expect(f.Severity?.Label).toBe('INFORMATIONAL');
    }
    const statuses = findings.map((f) => f.ProductFields?.['codecommit-endpoint-auditor/Status']);
    expect(statuses.filter((s) => s === 'ERROR')).toHaveLength(3);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it('includes PASSED findings with reportPassed', () => {
    expect(
      formatAsffFindings([FAILED_VPC, { ...FAILED_VPC, resourceId: 'vpc-2', status: 'PASSED' }], 'now', true).map(
        (f) => f.Compliance?.Status,
      ),
    ).toEqual(['FAILED', 'PASSED']);
  });

  it('carries a proven fix within ASFF limits: whole, or in parts of 2,048 characters', () => {
    const fix = {
      policyDocument: JSON.stringify({
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 'codecommit:GitPush', Resource: '*' }],
      }),
    };
    const remediation = `Deny codecommit:GitPush on this endpoint: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --policy-document '${fix.policyDocument}'`;
    const small = toAsff({ ...FAILED_VPC, checkId: 'CCE.8', remediation, fix }, { now: '2026-11-26T10:00:00.000Z' });
    expect(small.ProductFields?.[FIX_FIELD]).toBe(fix.policyDocument);
    expect(small.Remediation?.Recommendation?.Text).toBe(
      `Deny codecommit:GitPush on this endpoint. The corrected policy is in ProductFields "${FIX_FIELD}"; apply it with aws ec2 modify-vpc-endpoint --policy-document.`,
    );
    const big = {
      policyDocument: JSON.stringify({
        Statement: Array.from({ length: 60 }, (_, i) => ({
          Sid: `S${i}`,
          Effect: 'Deny',
          Principal: '*',
          Action: 'codecommit:GitPush',
          Resource: `arn:aws:codecommit:us-east-2:123456789012:repository-${i}`,
        })),
      }),
    };
    const parts =
      toAsff({ ...FAILED_VPC, remediation, fix: big }, { now: '2026-11-26T10:00:00.000Z' }).ProductFields ?? {};
    const count = Number(parts[`${FIX_FIELD}/Parts`]);
    expect(count).toBeGreaterThan(1);
    const joined = Array.from({ length: count }, (_, i) => parts[`${FIX_FIELD}/${i + 1}`] ?? '').join('');
    expect(joined).toBe(big.policyDocument);
    expect(Object.values(parts).every((v) => v.length <= 2048)).toBe(true);
    expect(Object.keys(parts).length).toBeLessThanOrEqual(50);
  });
});
