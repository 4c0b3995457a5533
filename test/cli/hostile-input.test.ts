/**
 * Malformed and hostile input, each item found when the tool was tried as an attacker and as an
 * unlucky operator would: a clear error naming what is wrong (exit 2), or the right result.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../functions/cli/args';
import { runCli } from '../../functions/cli/main';
import { scanIdOf } from '../../functions/jobs/schedule';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cce-hostile-'));
});
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const scope = (endpoint: Record<string, unknown> = {}, more: Record<string, unknown> = {}) => ({
  accountId: '111122223333',
  region: 'us-east-1',
  vpcs: [{ VpcId: 'vpc-1' }],
  vpcEndpoints: [
    {
      VpcEndpointId: 'vpce-1',
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-1',
      ServiceName: 'com.amazonaws.us-east-1.git-codecommit',
      State: 'available',
      ...endpoint,
    },
  ],
  ...more,
});

describe('inventory items of the wrong shape: exit 2 naming the item and field', () => {
  it.each([
    ['Tags: [null]', scope({ Tags: [null] }), 'vpcEndpoints[0] (vpce-1): Tags[0] must be a tag object'],
    [
      'a VPC tag without a Key',
      scope({}, { vpcs: [{ VpcId: 'vpc-1', Tags: [{ Value: 'x' }] }] }),
      'vpcs[0]: Tags[0] must be a tag object',
    ],
    [
      'Groups: [null]',
      scope({ Groups: [null] }),
      'vpcEndpoints[0] (vpce-1): Groups[0] must be an object with a "GroupId" string',
    ],
    ['SubnetIds: [7]', scope({ SubnetIds: [7] }), 'vpcEndpoints[0] (vpce-1): SubnetIds[0] must be a subnet id string'],
    [
      'IpRanges as a string',
      scope(
        {},
        { securityGroups: [{ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', IpRanges: '0.0.0.0/0' }] }] },
      ),
      'securityGroups[0]: IpPermissions[0] must be an ingress rule as DescribeSecurityGroups gives it',
    ],
  ])('%s', async (_name, inventory, message) => {
    const { code, stdout, stderr } = await cli('--inventory', file('bad.json', JSON.stringify(inventory)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a PolicyDocument nested 100,000 levels deep', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = JSON.stringify(scope()).replace('"State":"available"', `"State":"available","PolicyDocument":${deep}`);
    const { code, stderr } = await cli('--inventory', file('deep.json', text));
    expect(code).toBe(2);
    expect(stderr).toMatch(/deep\.json nests objects or arrays more than 64 levels deep\n$/);
  });

  it('a file that is not UTF-8 (a Latin-1 tag value)', async () => {
    const text = Buffer.from(JSON.stringify(scope({ Tags: [{ Key: 'Name', Value: 'caf_' }] })), 'utf8');
    text[text.indexOf('caf_') + 3] = 0xe9; // é in Latin-1: no valid UTF-8 sequence
    const { code, stderr } = await cli('--inventory', file('latin1.json', text));
    expect(code).toBe(2);
    expect(stderr).toMatch(/latin1\.json is not valid UTF-8 text \(invalid byte at offset \d+\)\n$/);
  });

  it('a byte-order mark is accepted, in inventories and parameter files', async () => {
    const inventory = file('bom.json', `\uFEFF${JSON.stringify(scope())}`);
    const params = file('params.json', '\uFEFF{"fipsRequired":"never"}');
    const { code, stderr } = await cli('--inventory', inventory, '--params', params, '--format', 'json');
    expect(stderr).toMatch(/^\d+ findings from 1 account-region\(s\)\n$/);
    expect(code).toBe(0);
  });
});

describe('flags', () => {
  it.each([
    [['--demo', '--concurrency', '0x10'], 'error: --concurrency 0x10: expected a whole number from 1 to 32'],
    [['--demo', '--concurrency', '1e1'], 'error: --concurrency 1e1: expected a whole number from 1 to 32'],
    [['--demo', '--timeout', '0'], 'error: --timeout 0: expected a whole number of seconds from 1 to 3600'],
    [['--demo', '--timeout', '2m'], 'error: --timeout 2m: expected a whole number of seconds from 1 to 3600'],
    [['--demo', '--params', '[]'], 'error: --params'],
  ])('%j: exit 2, one clear line', async (argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).not.toContain('no such file');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes a FIFO topic ARN for --topic-arn', () => {
    const options = parseCliArgs([
      '--regions',
      'us-east-2',
      '--publish',
      'sns',
      '--topic-arn',
      'arn:aws:sns:us-east-2:123456789012:alerts.fifo',
    ]);
    expect(options.topic).toMatchObject({ arn: 'arn:aws:sns:us-east-2:123456789012:alerts.fifo', fifo: true });
  });
});

describe('the CLI as a process', () => {
  it('exits quietly with the scan’s code when the reader closes the pipe early', async () => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['functions/cli/main.ts', '--demo', '--format', 'json']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // like `| head -c 100`
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  });

  it('prints one line, not the SDK’s Node-version notice, when the account cannot be identified', async () => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['functions/cli/main.ts', '--regions', 'us-east-2'], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /^error: cannot identify the AWS account: sts:GetCallerIdentity failed with CredentialsProviderError: /,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('Lambda events', () => {
  it('a scheduler event id longer than 200 characters (or of odd characters) makes a valid scan id', () => {
    const id = scanIdOf({ id: `${'x'.repeat(500)}` });
    expect(id).toHaveLength(200);
    expect(scanIdOf({ id: '$$$ / ###' }, new Date('2026-11-27T00:00:00Z'))).toBe('scan-2026-11-27T00:00:00.000Z');
    expect(scanIdOf(null, new Date('2026-11-27T00:00:00Z'))).toBe('scan-2026-11-27T00:00:00.000Z');
  });
});
