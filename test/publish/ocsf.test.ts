import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import type { Finding } from '../../functions/core/finding';
import { findingId } from '../../functions/publish/asff';
import { formatOcsf, OCSF_VERSION, toOcsf, type OcsfComplianceFinding } from '../../functions/publish/ocsf';

const schema = JSON.parse(
  readFileSync(new URL('../fixtures/ocsf/ocsf-1.6.0-compliance-finding.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const META = { scannedAt: '2026-11-27T20:50:49.123Z', toolVersion: '9.8.7' };

function errorsOf(event: unknown): string {
  return validate(event) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} });
  return { code, stdout };
}

let demo: Finding[];
beforeAll(async () => {
  const { code, stdout } = await cli('--demo', '--format', 'json');
  expect(code).toBe(0);
  demo = JSON.parse(stdout) as Finding[];
});

const byStatus = (status: Finding['status']): Finding => {
  const found = demo.find((f) => f.status === status);
  if (!found) throw new Error(`the demo has no ${status} finding`);
  return found;
};

describe('OCSF output', () => {
  it('the vendored schema is OCSF 1.6.0 Compliance Finding, the version the events carry', () => {
    expect(schema.title).toBe('OCSF 1.6.0 Compliance Finding (class_uid 2003)');
    expect(OCSF_VERSION).toBe('1.6.0');
  });

  it('every demo finding validates against the schema', () => {
    expect(demo.length).toBeGreaterThan(100);
    const invalid = demo
      .map((f) => [f, errorsOf(toOcsf(f, META))] as const)
      .filter(([, errors]) => errors !== '')
      .map(([f, errors]) => `${findingId(f)}: ${errors}`);
    expect(invalid).toEqual([]);
  });

  it.each<[string, (event: OcsfComplianceFinding & Record<string, unknown>) => void, RegExp]>([
    [
      'without compliance',
      (e) => delete (e as Partial<OcsfComplianceFinding>).compliance,
      /^data must have required property 'compliance'/m,
    ],
    [
      'with a type_uid not paired with its activity',
      (e) => (e.type_uid = 200302),
      /^data\/type_uid must be equal to constant/m,
    ],
    ['with severity_id 7', (e) => (e.severity_id = 7), /^data\/severity_id must match exactly one schema in oneOf/m],
    [
      'with compliance.status_id 4',
      (e) => (e.compliance.status_id = 4),
      /^data\/compliance\/status_id must match exactly one schema/m,
    ],
    [
      'without cloud, its profile listed',
      (e) => delete (e as Partial<OcsfComplianceFinding>).cloud,
      /^data must have required property 'cloud'/m,
    ],
    ['with time in a string', (e) => (e.time = '2026-11-27' as unknown as number), /^data\/time must be integer/m],
    [
      'with a resource without name or uid',
      (e) => (e.resources = [{ type: 'AWS::EC2::VPC' } as never]),
      /^data\/resources\/0 must match a schema in anyOf/m,
    ],
    [
      'without finding_info.uid',
      (e) => delete (e.finding_info as Partial<OcsfComplianceFinding['finding_info']>).uid,
      /^data\/finding_info must have required property 'uid'/m,
    ],
  ])('a mutated event (%s) does not validate', (_, mutate, error) => {
    const event = toOcsf(byStatus('FAILED'), META) as OcsfComplianceFinding & Record<string, unknown>;
    expect(errorsOf(event)).toBe('');
    mutate(event);
    expect(errorsOf(event)).toMatch(error);
  });

  it('maps each status to the compliance status OCSF defines, ERROR never to Pass or Fail', () => {
    const compliance = (status: Finding['status']) => {
      const { status_id, status: caption, status_code } = toOcsf(byStatus(status), META).compliance;
      return { status_id, caption, status_code };
    };
    expect(compliance('PASSED')).toEqual({ status_id: 1, caption: 'Pass', status_code: 'PASSED' });
    expect(compliance('FAILED')).toEqual({ status_id: 3, caption: 'Fail', status_code: 'FAILED' });
    expect(compliance('ERROR')).toEqual({ status_id: 2, caption: 'Warning', status_code: 'ERROR' });
    expect(compliance('NOT_APPLICABLE')).toEqual({
      status_id: 99,
      caption: 'Not Applicable',
      status_code: 'NOT_APPLICABLE',
    });
  });

  it('maps a FAILED endpoint finding field by field', () => {
    const f = demo.find((x) => x.status === 'FAILED' && x.resourceType === 'AWS::EC2::VPCEndpoint' && x.fix);
    if (!f) throw new Error('the demo has no FAILED endpoint finding with a fix');
    const event = toOcsf(f, META);
    expect(event).toMatchObject({
      metadata: {
        version: '1.6.0',
        product: { name: 'CodeCommit Endpoint Auditor', vendor_name: 'codecommit-endpoint-auditor', version: '9.8.7' },
        profiles: ['cloud', 'datetime'],
      },
      time: Date.parse(META.scannedAt),
      time_dt: META.scannedAt,
      class_uid: 2003,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200301,
      severity_id: { LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 }[f.severity as 'LOW'],
      finding_info: { uid: findingId(f), title: `${f.checkId} ${f.title}`, desc: f.message },
      compliance: { control: f.checkId, checks: [{ uid: f.checkId, name: f.title }] },
      remediation: { desc: f.remediation },
      cloud: { provider: 'AWS', account: { uid: f.accountId, type_id: 10 }, region: f.region, cloud_partition: 'aws' },
      unmapped: { fix: { policyDocument: f.fix?.policyDocument } },
    });
    expect(event.remediation.references?.[0]).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(event.resources).toEqual([
      {
        uid: f.resourceArn,
        name: f.resourceId,
        type: 'AWS::EC2::VPCEndpoint',
        region: f.region,
        cloud_partition: 'aws',
        owner: { account: { uid: f.accountId, type: 'AWS Account', type_id: 10 } },
        data: { vpc_id: f.vpcId },
      },
      {
        uid: `arn:aws:ec2:${f.region}:${f.accountId}:vpc/${f.vpcId}`,
        name: f.vpcId,
        type: 'AWS::EC2::VPC',
        region: f.region,
        cloud_partition: 'aws',
        owner: { account: { uid: f.accountId, type: 'AWS Account', type_id: 10 } },
      },
    ]);
  });

  it('gives the check severity to FAILED findings only; others are Informational, the check keeps its own', () => {
    const passed = toOcsf(byStatus('PASSED'), META);
    expect(passed.severity_id).toBe(1);
    expect(passed.compliance.checks[0]?.severity_id).toBeGreaterThan(1);
    expect(passed.unmapped).toBeUndefined();
  });

  it('uses partition-correct values in GovCloud and China', () => {
    const gov = toOcsf({ ...byStatus('FAILED'), region: 'us-gov-west-1' }, META);
    expect(gov.cloud.cloud_partition).toBe('aws-us-gov');
    expect(toOcsf({ ...byStatus('FAILED'), region: 'cn-north-1' }, META).resources[0]?.cloud_partition).toBe('aws-cn');
  });

  it('writes JSON Lines: one valid event per finding, ids as stable as ASFF', async () => {
    const { code, stdout } = await cli('--demo', '--format', 'ocsf');
    expect(code).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(demo.length);
    const events = lines.map((line) => JSON.parse(line) as OcsfComplianceFinding);
    expect(events.map((e) => e.finding_info.uid)).toEqual(demo.map(findingId));
    expect(new Set(events.map((e) => e.finding_info.uid)).size).toBe(demo.length);
    for (const event of events) expect(errorsOf(event)).toBe('');
    expect(formatOcsf([], META)).toBe('');
  });
});

describe('OCSF lines', () => {
  it('keeps one event per line even when a message holds line or paragraph separators, and states the finding', () => {
    const finding: Finding = {
      checkId: 'CCE.1',
      title: 't',
      status: 'FAILED',
      severity: 'HIGH',
      accountId: '123456789012',
      region: 'us-east-2',
      resourceType: 'AWS::EC2::VPC',
      resourceId: 'vpc-1',
      resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc/vpc-1',
      vpcId: 'vpc-1',
      message: 'a\u2028b\u2029c\u0085d',
      remediation: 'r',
    };
    const out = formatOcsf([finding], { scannedAt: '2026-11-27T00:00:00.000Z', toolVersion: '0.1.0' });
    expect(out.split(/\r?\n|\u2028|\u2029|\u0085/)).toHaveLength(2);
    const event = JSON.parse(out) as { message: string; status_id: number; status: string };
    expect(event).toMatchObject({ message: 'a\u2028b\u2029c\u0085d', status_id: 1, status: 'New' });
  });
});
