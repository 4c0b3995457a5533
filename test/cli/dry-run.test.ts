import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import type { Finding } from '../../functions/core/finding';
import { chatSchemaErrors } from '../fixtures/chatbot/schema';
import { fakeEc2, syntheticRegion } from '../fixtures/fake-ec2';
import { fakeIam } from '../fixtures/fake-iam';
import { fakeOrganization } from '../fixtures/fake-org';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

interface PrintedMessage {
  header: string;
  lines: string[];
  /** Each variant's text, by the keys its header names. */
  variants: Map<string, string>;
}

/** The dry run's stdout, message by message. */
function messages(stdout: string): PrintedMessage[] {
  return stdout
    .split(/^(?==== Message )/m)
    .filter(Boolean)
    .map((section) => {
      const lines = section.replace(/\n$/, '').split('\n');
      const variants = new Map<string, string>();
      let keys: string[] = [];
      let body: string[] = [];
      const flush = (): void => {
        for (const key of keys) variants.set(key, body.join('\n'));
      };
      for (const line of lines.slice(1)) {
        const header = /^--- ([^(]+) \(/.exec(line);
        if (header) {
          flush();
          keys = (header[1] ?? '').split(', ');
          body = [];
        } else if (keys.length > 0) body.push(line);
      }
      flush();
      return { header: lines[0] ?? '', lines, variants };
    });
}

// Any call to SNS, Security Hub or STS fails the test: a dry run makes none.
let sns: AwsClientStub<SNSClient>;
let hub: AwsClientStub<SecurityHubClient>;
let sts: AwsClientStub<STSClient>;
beforeEach(() => {
  sns = mockClient(SNSClient);
  hub = mockClient(SecurityHubClient);
  sts = mockClient(STSClient);
  sns.onAnyCommand().rejects(new Error('SNS called during a dry run'));
  hub.onAnyCommand().rejects(new Error('Security Hub called during a dry run'));
  sts.onAnyCommand().rejects(new Error('STS called'));
});
afterEach(() => {
  sns.restore();
  hub.restore();
  sts.restore();
});

describe('--publish sns --dry-run', () => {
  it('on the demo: every message it would send, each variant, with no AWS call and no credentials', async () => {
    const scan = await cli('--demo', '--format', 'json');
    const findings = JSON.parse(scan.stdout) as Finding[];
    const failed = findings.filter((f) => f.status === 'FAILED');
    const scopesWithFailures = new Set(failed.map((f) => `${f.accountId} ${f.region}`));

    const { code, stdout, stderr } = await cli('--demo', '--publish', 'sns', '--dry-run');
    expect(code).toBe(0);
    expect(sns.calls()).toHaveLength(0);
    expect(hub.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    const total = failed.length + scopesWithFailures.size;
    expect(stderr).toContain(
      `dry run: nothing is sent and no AWS call is made to publish; the ${total} message(s) follow on stdout\n`,
    );
    expect(stderr).toContain(
      'dry run: with no Security Hub to compare against, every FAILED finding is NEW (as on the first scan with Security Hub); each account-region also shows its digest\n',
    );

    const printed = messages(stdout);
    expect(printed).toHaveLength(total);
    expect(printed.filter((m) => m.header.includes(': NEW, '))).toHaveLength(failed.length);
    expect(printed.filter((m) => m.header.includes(': DIGEST, '))).toHaveLength(scopesWithFailures.size);
    expect(printed[0]?.header).toBe(
      `=== Message 1 of ${total}: NEW, sent by the first scan with --publish securityhub,sns; later scans send only changes ===`,
    );
    for (const message of printed) {
      expect(message.lines).toContain('MessageStructure: json');
      expect([...message.variants.keys()].sort()).toEqual(
        ['default', 'email', 'email-json', 'http', 'https', 'lambda', 'sqs'].sort(),
      );
      expect(message.variants.get('default')).toBe(message.variants.get('email'));
      expect(chatSchemaErrors(JSON.parse(message.variants.get('https') ?? ''))).toBe('');
      const machine = JSON.parse(message.variants.get('sqs') ?? '') as { transition: string };
      expect(['NEW', 'DIGEST']).toContain(machine.transition);
    }
    // Every FAILED finding has its NEW message, by subject.
    const subjects = printed.map((m) => m.lines.find((l) => l.startsWith('Subject: ')) ?? '');
    for (const f of failed)
      expect(subjects.some((s) => s.startsWith(`Subject: [${f.severity}] ${f.checkId} `))).toBe(true);
  });

  it('on an inventory, with Security Hub asked for too and a FIFO topic: FIFO ids shown, nothing imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cce-dry-'));
    const inventory = join(dir, 'inventory.json');
    writeFileSync(
      inventory,
      JSON.stringify({
        accountId: '111122223333',
        region: 'us-east-1',
        vpcs: [{ VpcId: 'vpc-0abc', IsDefault: false, Tags: [] }],
        vpcEndpoints: [],
      }),
    );
    const topic = 'arn:aws:sns:us-east-1:111122223333:alerts.fifo';
    const { code, stdout, stderr } = await cli(
      '--inventory',
      inventory,
      '--publish',
      'securityhub,sns',
      '--topic-arn',
      topic,
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(hub.calls()).toHaveLength(0);
    expect(stderr).toContain(`message(s) for ${topic} follow on stdout`);
    expect(stderr).toContain('dry run: nothing is imported into Security Hub (--format asff prints what would be)\n');
    const printed = messages(stdout);
    // The VPC has no endpoint at all (and no route tables recorded: the checks' own MEDIUM): CCE.1 and
    // CCE.2 fail, and the digest lists both.
    expect(printed.map((m) => m.lines.find((l) => l.startsWith('Subject: ')))).toEqual([
      'Subject: [MEDIUM] CCE.1 VPC has no interface endpoint for CodeCommit Git: vpc-0abc (111122223333 us-east-1)',
      'Subject: [MEDIUM] CCE.2 VPC has no interface endpoint for the CodeComm...: vpc-0abc (111122223333 us-east-1)',
      'Subject: [MEDIUM] CodeCommit endpoint digest: 2 FAILED (111122223333 us-east-1)',
    ]);
    for (const message of printed) {
      expect(message.lines).toContain('MessageGroupId: 111122223333-us-east-1');
      expect(message.lines.some((l) => /^MessageDeduplicationId: [0-9a-f]{64}$/.test(l))).toBe(true);
    }
    expect(printed[0]?.variants.get('email')).toContain('How to fix: ');
  });

  // SNS takes a Subject of printable ASCII under 100 characters: a longer or non-ASCII one refuses the whole alert.
  it('gives every demo message a subject SNS accepts', async () => {
    const { stdout } = await cli('--demo', '--publish', 'sns', '--dry-run');
    const subjects = stdout.split('\n').filter((line) => line.startsWith('Subject: '));
    expect(subjects.length).toBeGreaterThan(30);
    for (const line of subjects) expect(line.slice('Subject: '.length)).toMatch(/^[\x20-\x7e]{1,99}$/);
  });

  it("prints the demo's chat alert the README shows", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Alerts in Slack'));
    const shown = /```json\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
    const { stdout } = await cli('--demo', '--publish', 'sns', '--dry-run');
    const printed = messages(stdout).find((m) =>
      m.lines.includes(
        'Subject: [HIGH] CCE.6 Endpoint policy has no identity pe...: vpce-0a1b2c3d4e5f70003 (123456789012 us-east-2)',
      ),
    );
    expect(JSON.parse(printed?.variants.get('https') ?? '')).toEqual(JSON.parse(shown));
  });

  it.each([
    [['--demo', '--dry-run'], 'error: --dry-run prints the messages --publish sns would send: add --publish sns'],
    [
      ['--demo', '--publish', 'securityhub', '--dry-run'],
      'error: --dry-run prints the messages --publish sns would send: add --publish sns',
    ],
    [
      ['--demo', '--publish', 'sns', '--topic-arn', 'arn:aws:sns:us-east-2:123456789012:alerts'],
      'error: --publish needs a live scan (--regions)',
    ],
    [['--regions', 'us-east-2', '--publish', 'sns'], 'error: --publish sns needs --topic-arn ARN'],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(message)).toBe(true);
  });
});

describe('--publish securityhub,sns --dry-run on a live scan', () => {
  let ec2: AwsClientStub<EC2Client>;
  let orgs: AwsClientStub<OrganizationsClient>;
  let iam: AwsClientStub<IAMClient>;
  beforeEach(() => {
    ec2 = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 3, 6) }, ['us-east-2']);
    orgs = fakeOrganization({ accounts: [{ Id: '123456789012', Name: 'audited', Status: 'ACTIVE' }] }).mock;
    iam = fakeIam({ users: [{ UserName: 'reader' }] }).mock;
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:role/auditor', UserId: 'AROAEXAMPLE:cli' });
  });
  afterEach(() => {
    ec2.restore();
    orgs.restore();
    iam.restore();
  });

  it('collects and evaluates, then prints the messages: nothing is imported or sent', async () => {
    const { code, stdout, stderr } = await cli('--regions', 'us-east-2', '--publish', 'securityhub,sns', '--dry-run');
    expect(code).toBe(0);
    expect(stderr).toContain('dry run: nothing is imported into Security Hub (--format asff prints what would be)\n');
    expect(stderr).not.toContain('published 123456789012');
    expect(sns.calls()).toHaveLength(0);
    expect(hub.calls()).toHaveLength(0);
    const printed = messages(stdout);
    expect(printed.length).toBeGreaterThan(1);
    for (const message of printed) expect(chatSchemaErrors(JSON.parse(message.variants.get('https') ?? ''))).toBe('');
  });
});
