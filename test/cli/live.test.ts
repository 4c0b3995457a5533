import { fakeLiveAccount, type LiveAccount } from '../fixtures/live-account';
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/main';
import { awsError, syntheticRegion } from '../fixtures/fake-ec2';
import { fakeSecurityHub } from '../fixtures/fake-securityhub';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { acceptingTopic } from '../fixtures/fake-sns';
import { codeCommitEvent } from '../fixtures/fake-cloudtrail';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let ec2: AwsClientStub<EC2Client>;
let sts: AwsClientStub<STSClient>;
let account: LiveAccount;

beforeEach(() => {
  const ohio = syntheticRegion('us-east-2', 3, 6);
  const gov = syntheticRegion('us-gov-west-1', 2, 2);
  // One developer pulling through an endpoint, one pushing from a public address, an hour ago.
  const hourAgo = new Date(Date.now() - 3_600_000);
  account = fakeLiveAccount(
    { 'us-east-2': ohio, 'eu-west-1': syntheticRegion('eu-west-1', 2, 2), 'us-gov-west-1': gov },
    ['eu-west-1', 'us-east-2'],
    {
      'us-east-2': [
        codeCommitEvent(1, { time: hourAgo, user: 'ci', vpcEndpointId: 'vpce-0123456789abcdef0' }),
        codeCommitEvent(2, { time: hourAgo, user: 'alice', sourceIPAddress: '203.0.113.50', eventName: 'GitPush' }),
      ],
    },
  );
  ({ ec2, sts } = account);
});
afterEach(() => {
  account.restore();
  vi.unstubAllEnvs();
});

describe('live scans', () => {
  it('scans regions, saves the inventory, and the replay gives identical findings', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cce-live-')), 'inventory.json');
    const live = await cli('--regions', 'us-east-2,eu-west-1', '--format', 'json', '--save-inventory', file, '--stats');
    expect(live.code).toBe(0);
    expect(live.stderr).toContain('Scanning account 123456789012: 2 region(s), 2 at a time');
    expect(live.stderr).toMatch(
      /\[1\/2\] (us-east-2|eu-west-1): \d+ VPCs, \d+ CodeCommit endpoints, \d+ CodeCommit events in [\d.]+ s/,
    );
    expect(live.stderr).toContain('  DescribeVpcs: 2\n');
    expect(live.stderr).toContain('  GetCallerIdentity: 1\n');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { region: string }[];
    expect(saved.map((s) => s.region)).toEqual(['us-east-2', 'eu-west-1']);
    // CCE.14 from CloudTrail: one page per region, every event kept for the replay.
    expect(live.stderr).toContain('  LookupEvents: 2\n');
    expect((saved[0] as { cloudTrailEvents?: unknown[] }).cloudTrailEvents).toHaveLength(2);
    const traffic = (JSON.parse(live.stdout) as { checkId: string; resourceId: string; status: string }[])
      .filter((f) => f.checkId === 'CCE.14')
      .map((f) => `${f.resourceId} ${f.status}`);
    expect(traffic).toEqual(['user/alice FAILED', 'user/ci PASSED']);

    const replay = await cli('--inventory', file, '--format', 'json');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe(live.stdout);
    expect(JSON.parse(live.stdout)).not.toHaveLength(0);
  });

  it('when --save-inventory cannot be written after the scan, still prints the findings, names the file and exits 3', async () => {
    const { code, stdout, stderr } = await cli(
      '--regions',
      'us-east-2',
      '--format',
      'json',
      '--save-inventory',
      '/nonexistent-dir/scan.json',
    );
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).not.toHaveLength(0);
    expect(stderr).toMatch(/^error: cannot write --save-inventory file \/nonexistent-dir\/scan\.json: ENOENT/m);
    expect(stderr).toMatch(/^incomplete: 123456789012 \*: inventory not saved: /m);
  });

  it('writes --save-inventory readable by its owner only', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cce-live-')), 'inventory.json');
    expect((await cli('--regions', 'us-east-2', '--save-inventory', file)).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace an existing file without --force, before scanning; replaces it (0600) with --force', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cce-live-')), 'inventory.json');
    writeFileSync(file, 'keep me', { mode: 0o644 });
    const refused = await cli('--regions', 'us-east-2', '--save-inventory', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: --save-inventory ${file} exists; pass --force to replace it\n`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(ec2.calls()).toHaveLength(0);

    expect((await cli('--regions', 'us-east-2', '--save-inventory', file, '--force')).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never writes through a symbolic link, even with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cce-live-'));
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'not yours');
    const link = join(dir, 'inventory.json');
    symlinkSync(target, link);
    for (const extra of [[], ['--force']]) {
      const { code, stderr } = await cli('--regions', 'us-east-2', '--save-inventory', link, ...extra);
      expect(code).toBe(2);
      expect(stderr).toBe(`error: --save-inventory ${link} is a symbolic link; give the path of a regular file\n`);
    }
    expect(readFileSync(target, 'utf8')).toBe('not yours');
  });

  it('scans the enabled regions with --regions all', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-2');
    const { code, stderr } = await cli('--regions', 'all', '--format', 'json');
    expect(code).toBe(0);
    expect(ec2).toHaveReceivedCommandWith(DescribeRegionsCommand, { AllRegions: false });
    expect(stderr).toContain('2 region(s)');
  });

  it('uses partition-correct ARNs in GovCloud', async () => {
    const { stdout } = await cli('--regions', 'us-gov-west-1', '--format', 'json');
    const findings = JSON.parse(stdout) as { resourceArn: string; resourceType: string }[];
    const regional = findings.filter((f) => f.resourceType.startsWith('AWS::EC2::'));
    expect(regional.length).toBeGreaterThan(0);
    expect(regional.every((f) => f.resourceArn.startsWith('arn:aws-us-gov:ec2:us-gov-west-1:123456789012:'))).toBe(
      true,
    );
    expect(findings.find((f) => f.resourceType === 'AWS::::Account')?.resourceArn).toBe(
      'arn:aws-us-gov:iam::123456789012:root',
    );
  });

  it('exits 3 when a region cannot be scanned, still reporting the others', async () => {
    const { code, stdout, stderr } = await cli('--regions', 'us-east-2,ap-east-1', '--format', 'json');
    expect(code).toBe(3);
    expect(stderr).toContain('incomplete: 123456789012 ap-east-1: DescribeVpcs: AuthFailure');
    const findings = JSON.parse(stdout) as { region: string; status: string }[];
    expect(findings.filter((f) => f.region === 'us-east-2').every((f) => f.status !== 'ERROR')).toBe(true);
    expect(findings.filter((f) => f.region === 'ap-east-1').every((f) => f.status === 'ERROR')).toBe(true);
  });

  it('exits 3 (the account could not be scanned) with a clear line when it cannot be identified', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
    const { code, stderr } = await cli('--regions', 'us-east-2');
    expect(code).toBe(3);
    expect(stderr).toBe(
      'error: cannot identify the AWS account: sts:GetCallerIdentity failed with InvalidClientTokenId: The security token included in the request is invalid. (check your credentials, --profile or AWS_PROFILE)\n',
    );
  });

  it('exits 3 with a clear line when --regions all cannot list the regions', async () => {
    ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized.', 403));
    const { code, stderr } = await cli('--regions', 'all');
    expect(code).toBe(3);
    expect(stderr).toBe(
      "error: cannot list the account's regions: ec2:DescribeRegions failed with UnauthorizedOperation: You are not authorized. (pass --regions LIST instead)\n",
    );
  });

  it('exits 2 when no region is configured and none is given', async () => {
    for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) vi.stubEnv(key, undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    const { code, stderr } = await cli('--format', 'json');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: no AWS region configured: pass --regions LIST (or all), or set AWS_REGION or a region in your profile\n',
    );
  });

  it('publishes to Security Hub and SNS, and a second unchanged scan sends no alert', async () => {
    const hub = fakeSecurityHub();
    const sns = acceptingTopic();
    try {
      const topic = 'arn:aws:sns:us-east-2:123456789012:alerts';
      const first = await cli(
        '--regions',
        'us-east-2',
        '--format',
        'json',
        '--publish',
        'securityhub,sns',
        '--topic-arn',
        topic,
      );
      expect(first.code).toBe(0);
      const failed = (JSON.parse(first.stdout) as { status: string }[]).filter((f) => f.status === 'FAILED').length;
      expect(hub.store.size).toBe(failed);
      expect(first.stderr).toContain(
        `published 123456789012 us-east-2: Security Hub: ${failed} imported, 0 archived; ${failed} alert(s)`,
      );
      const second = await cli(
        '--regions',
        'us-east-2',
        '--format',
        'json',
        '--publish',
        'securityhub,sns',
        '--topic-arn',
        topic,
      );
      expect(second.stderr).toContain(`Security Hub: ${failed} imported, 0 archived; 0 alert(s)`);
      expect(
        sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []),
      ).toHaveLength(failed);
    } finally {
      hub.mock.restore();
      sns.restore();
    }
  });
});
