import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallCounter } from '../../functions/core/call-counter';
import type { Finding } from '../../functions/core/finding';
import { reportLink } from '../../functions/publish/links';
import { alertFor, digestFor, linkedAlertFor } from '../../functions/publish/sns';
import { s3ReportStore } from '../../functions/publish/s3-report';
import { reportKeys, reportNotWritten, writeReport, type ReportStore } from '../../functions/publish/scan-report';
import { awsError } from '../fixtures/fake-ec2';

const FAILED: Finding = {
  checkId: 'CCE.1',
  title: 'VPC has no interface endpoint for CodeCommit Git',
  status: 'FAILED',
  severity: 'HIGH',
  accountId: '111122223333',
  region: 'us-east-2',
  resourceType: 'AWS::EC2::VPC',
  resourceId: 'vpc-0abc',
  resourceArn: 'arn:aws:ec2:us-east-2:111122223333:vpc/vpc-0abc',
  vpcId: 'vpc-0abc',
  message: 'No serving endpoint for git-codecommit; the default route goes to an internet gateway.',
  remediation: 'aws ec2 create-vpc-endpoint --vpc-id vpc-0abc ...',
};
const META = {
  scannedAt: '2026-11-26T06:00:00.000Z',
  toolVersion: '9.8.7',
  accounts: ['111122223333'],
  regions: ['us-east-2'],
  params: {},
};

describe('report keys', () => {
  it('names the scan and the account-region, and the CloudTrail part of a continued task beside it', () => {
    const place = { scanId: 'f1e2d3c4-0000-4000-8000-1234567890ab', accountId: '111122223333', region: 'us-east-2' };
    expect(reportKeys(place)).toEqual({
      html: 'scans/f1e2d3c4-0000-4000-8000-1234567890ab/111122223333-us-east-2.html',
      csv: 'scans/f1e2d3c4-0000-4000-8000-1234567890ab/111122223333-us-east-2.csv',
    });
    expect(reportKeys({ ...place, part: 'cloudtrail' }).html).toBe(
      'scans/f1e2d3c4-0000-4000-8000-1234567890ab/111122223333-us-east-2-cloudtrail.html',
    );
  });

  it('keeps a scan id to one plain key segment: no folder, no dot segment, nothing to encode', () => {
    const key = (scanId: string) => reportKeys({ scanId, accountId: '111122223333', region: 'us-east-2' }).html;
    expect(key('scan-2026-11-26T06:00:00.000Z')).toBe(
      'scans/scan-2026-11-26T06-00-00.000Z/111122223333-us-east-2.html',
    );
    expect(key('../../etc')).toBe('scans/..-..-etc/111122223333-us-east-2.html');
    expect(key('..')).toBe('scans/--/111122223333-us-east-2.html');
    expect(key('a b?c#d&e')).toBe('scans/a-b-c-d-e/111122223333-us-east-2.html');
  });
});

describe('report links', () => {
  it('links the object and its page in the console of the bucket’s partition', () => {
    const keys = ['scans/s/111122223333-us-east-2.html', 'scans/s/111122223333-us-east-2.csv'] as const;
    expect(reportLink('audit-reports', 'us-east-2', ...keys)).toEqual({
      html: 's3://audit-reports/scans/s/111122223333-us-east-2.html',
      csv: 's3://audit-reports/scans/s/111122223333-us-east-2.csv',
      console:
        'https://console.aws.amazon.com/s3/object/audit-reports?region=us-east-2&prefix=scans/s/111122223333-us-east-2.html',
    });
    expect(reportLink('audit-reports', 'cn-north-1', ...keys).console).toMatch(
      /^https:\/\/console\.amazonaws\.cn\/s3\/object\/audit-reports\?region=cn-north-1&/,
    );
    expect(reportLink('audit-reports', 'us-gov-west-1', ...keys).console).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\/s3\/object\//,
    );
  });

  it('adds the link to an alert’s readable text only, and only when a report was written', () => {
    const link = reportLink('audit-reports', 'us-east-2', 'scans/s/a.html', 'scans/s/a.csv');
    const transition = { kind: 'NEW' as const, finding: FAILED, findingId: 'id', key: 'id|FAILED:HIGH' };
    const linked = JSON.parse(linkedAlertFor(link)(transition).message) as Record<string, string>;
    const plain = JSON.parse(alertFor(transition).message) as Record<string, string>;
    expect(linked.email).toBe(`${plain.email}\nScan report: ${link.console}`);
    expect(linked.default).toBe(linked.email);
    expect(linked.sqs).toBe(plain.sqs);
    expect(linked.https).toBe(plain.https);
    expect(JSON.parse(linkedAlertFor(undefined)(transition).message)).toEqual(plain);
  });

  it('leaves the chat step out of a digest when the link is too long for a step', () => {
    const scan = 'x'.repeat(200);
    const link = reportLink('a'.repeat(63), 'us-east-2', `scans/${scan}/a.html`, `scans/${scan}/a.csv`);
    const digest = digestFor('111122223333', 'us-east-2', [FAILED], 'InvalidAccessException', link);
    const variants = JSON.parse(digest?.message ?? '{}') as Record<string, string>;
    const steps = (JSON.parse(variants.https ?? '{}') as { content: { nextSteps: string[] } }).content.nextSteps;
    expect(steps).toHaveLength(2);
    expect(steps.join('\n')).not.toContain('s3/object');
    expect(variants.email).toContain(`Full report, every finding with its fix: ${link.console}`);
  });
});

describe('writeReport', () => {
  let client: S3Client;
  let s3: AwsClientStub<S3Client>;
  const bucket = (): ReportStore => s3ReportStore({ client, bucket: 'audit-reports', region: 'us-east-2' });
  const place = { scanId: 'scan-1', accountId: '111122223333', region: 'us-east-2' };
  beforeEach(() => {
    client = new S3Client({ region: 'us-east-2' });
    s3 = mockClient(client);
  });
  afterEach(() => s3.restore());

  it('writes both objects, SSE-S3, without an expected owner when none is given, and counts the calls', async () => {
    s3.on(PutObjectCommand).resolves({});
    const counter = new CallCounter();
    const link = await writeReport(bucket(), place, { findings: [FAILED], meta: META }, counter);
    expect(link.html).toBe('s3://audit-reports/scans/scan-1/111122223333-us-east-2.html');
    expect(counter.counts.get('PutObject')).toBe(2);
    for (const call of s3.commandCalls(PutObjectCommand)) {
      expect(call.args[0].input.ServerSideEncryption).toBe('AES256');
      expect(call.args[0].input).not.toHaveProperty('ExpectedBucketOwner');
    }
    const csv = String(s3.commandCalls(PutObjectCommand, { Key: reportKeys(place).csv })[0]?.args[0].input.Body);
    expect(csv.split('\r\n')[1]).toContain('"vpc-0abc"');
  });

  it('still writes the other object when one fails, then reports the failure', async () => {
    s3.on(PutObjectCommand, { Key: 'scans/scan-1/111122223333-us-east-2.html' }).rejects(
      awsError('SlowDown', 'Please reduce your request rate.', 503),
    );
    s3.on(PutObjectCommand, { Key: reportKeys(place).csv }).resolves({});
    const error: unknown = await writeReport(bucket(), place, { findings: [FAILED], meta: META }).catch(
      (e: unknown) => e,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
    expect(reportNotWritten(bucket(), place, error)).toEqual({
      written: false,
      bucket: 'audit-reports',
      key: 'scans/scan-1/111122223333-us-east-2.html',
      code: 'SlowDown',
      message: 'Please reduce your request rate.',
    });
  });
});
