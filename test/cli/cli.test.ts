import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import { SEVERITIES, STATUSES, type Finding } from '../../functions/core/finding';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let dir: string;
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const handWritten = {
  accountId: '111122223333',
  region: 'us-east-1',
  vpcs: [{ VpcId: 'vpc-0abc', IsDefault: false, Tags: [] }],
  vpcEndpoints: [
    {
      VpcEndpointId: 'vpce-0abc',
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-0abc',
      ServiceName: 'com.amazonaws.us-east-1.git-codecommit',
      State: 'available',
      PrivateDnsEnabled: false,
      SubnetIds: [],
      Groups: [],
    },
  ],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cce-cli-'));
});

describe('CLI', () => {
  it('scans the demo and prints a table with a summary per status', async () => {
    const { code, stdout, stderr } = await cli('--demo');
    expect(code).toBe(0);
    expect(stderr).toBe('Demo parameters from events/demo-params.json (--params to override)\n');
    expect(stdout).toContain('Account 123456789012, region us-east-2');
    expect(stdout).toMatch(/RESOURCE\s+CHECK\s+STATUS\s+SEVERITY\s+MESSAGE/);
    for (const status of STATUSES) expect(stdout).toMatch(new RegExp(`^${status}:\\s+\\d+`, 'm'));
  });

  it('prints JSON findings in the DESIGN format for a hand-written inventory', async () => {
    const { code, stdout, stderr } = await cli('--inventory', file('hand.json', handWritten), '--format', 'json');
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as Finding[];
    expect(Array.isArray(findings)).toBe(true);
    expect(stderr).toContain(`${findings.length} findings from 1 account-region(s)`);
    for (const f of findings) {
      // `fix` is optional (DESIGN section 4): present only where a proven correction exists.
      const { fix, ...required } = f;
      if (fix !== undefined) expect(typeof fix.policyDocument).toBe('string');
      expect(Object.keys(required).sort()).toEqual([
        'accountId',
        'checkId',
        'message',
        'region',
        'remediation',
        'resourceArn',
        'resourceId',
        'resourceType',
        'severity',
        'status',
        'title',
        'vpcId',
      ]);
      expect(STATUSES).toContain(f.status);
      expect(SEVERITIES).toContain(f.severity);
    }
    expect(findings.find((f) => f.checkId === 'CCE.4')).toMatchObject({
      status: 'FAILED',
      resourceId: 'vpce-0abc',
      accountId: '111122223333',
    });
    expect(findings.find((f) => f.checkId === 'CCE.10')).toMatchObject({
      status: 'ERROR',
      message: 'Data not collected: the inventory has no security groups (ec2:DescribeSecurityGroups).',
    });
  });

  it('gives the same bytes on every run', async () => {
    const first = await cli('--demo', '--format', 'json');
    const second = await cli('--demo', '--format', 'json');
    expect(first.stdout).toBe(second.stdout);
  });

  it('reads several inventories', async () => {
    const other = file('other.json', { ...handWritten, region: 'eu-west-1', vpcEndpoints: [] });
    const { code, stdout } = await cli(
      '--inventory',
      file('a.json', handWritten),
      '--inventory',
      other,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(new Set((JSON.parse(stdout) as Finding[]).map((f) => f.region))).toEqual(
      new Set(['us-east-1', 'eu-west-1']),
    );
  });

  it('takes parameters as JSON or from a file', async () => {
    const inline = await cli('--demo', '--format', 'json', '--params', '{"checks":"CCE.1"}');
    expect(new Set((JSON.parse(inline.stdout) as Finding[]).map((f) => f.checkId))).toEqual(new Set(['CCE.1']));
    const fromFile = await cli('--demo', '--format', 'json', '--params', file('p.json', { checks: 'CCE.5' }));
    expect(new Set((JSON.parse(fromFile.stdout) as Finding[]).map((f) => f.checkId))).toEqual(new Set(['CCE.5']));
  });

  it('exits 1 when --fail-on trips, 0 when it does not', async () => {
    const tripped = await cli('--demo', '--fail-on', 'HIGH', '--format', 'json');
    expect(tripped.code).toBe(1);
    expect(tripped.stderr).toContain('--fail-on HIGH: FAILED findings at or above HIGH');
    const quiet = await cli('--demo', '--fail-on', 'critical', '--format', 'json');
    expect(quiet.code).toBe(0);
  });

  it('exits 3 when an account-region was not fully collected, still reporting the rest', async () => {
    const partial = {
      ...handWritten,
      collectionErrors: [
        { data: 'subnets', operation: 'DescribeSubnets', code: 'UnauthorizedOperation', message: 'denied' },
      ],
    };
    const { code, stdout, stderr } = await cli('--inventory', file('partial.json', partial), '--format', 'json');
    expect(code).toBe(3);
    expect(stderr).toContain('incomplete: 111122223333 us-east-1: DescribeSubnets: UnauthorizedOperation');
    expect((JSON.parse(stdout) as Finding[]).length).toBeGreaterThan(0);
  });

  it.each([
    [['--bogus'], "error: Unknown option '--bogus'"],
    [['--format', 'xml', '--demo'], 'error: --format xml: "xml" is not one of table, json, asff, csv, ocsf, html'],
    [['--fail-on', 'SEVERE', '--demo'], 'error: --fail-on SEVERE: expected one of LOW, MEDIUM, HIGH, CRITICAL'],
    [['--inventory', '/nonexistent/inv.json'], 'error: cannot read inventory file /nonexistent/inv.json: no such file'],
    [['--demo', '--params', '{"fipsRequird":"always"}'], 'error: unknown parameter "fipsRequird"'],
    [['--demo', '--params', '{"checks":"CCE.99"}'], 'error: parameter checks: "CCE.99" names unknown check "CCE.99"'],
    [
      ['--demo', '--inventory', 'x.json'],
      'error: choose one source: --demo, --inventory FILE or --regions LIST (a live scan)',
    ],
    [['--demo', '--save-inventory', 'out.json'], 'error: --save-inventory writes what a live scan collected'],
    [['--regions', 'us-east-2,Ohio'], 'error: --regions: "Ohio" is not an AWS region code (e.g. us-east-2)'],
    [['--regions', 'us-east-2', '--publish', 'sns'], 'error: --publish sns needs --topic-arn ARN'],
    [
      ['--regions', 'us-east-2', '--publish', 'slack'],
      'error: --publish: unknown target "slack"; expected securityhub, sns',
    ],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming the file and field for a malformed inventory', async () => {
    const bad = file('bad.json', { ...handWritten, vpcEndpoints: [{ VpcEndpointId: 'vpce-1' }] });
    const { code, stderr } = await cli('--inventory', bad);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: ${bad} (111122223333 us-east-1): vpcEndpoints[0] (vpce-1): field "VpcEndpointType" must be a non-empty string (missing)\n`,
    );
  });

  it('exits 2 for a file that is not JSON', async () => {
    const { code, stderr } = await cli('--inventory', file('nojson.json', '{"accountId": '));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: .*nojson\.json is not valid JSON: /);
  });

  it('prints usage with --help', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--fail-on LOW|MEDIUM|HIGH|CRITICAL');
  });
});

describe('CLI as a process', () => {
  const tsx = join('node_modules', '.bin', 'tsx');

  it('runs the demo through npm start', () => {
    const out = execFileSync('npm', ['start', '--silent'], { encoding: 'utf8' });
    expect(out).toContain('Summary of');
  });

  it('exits 2 with no stack trace on bad input', () => {
    const result = spawnSync(tsx, ['functions/cli/main.ts', '--inventory', '/nonexistent.json'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: cannot read inventory file /nonexistent.json: no such file\n');
  });
});

describe('output formats at scale', () => {
  it('prints a table and JSON for 60,000 findings without overflowing the stack', async () => {
    const { formatJson, formatTable } = await import('../../functions/cli/format');
    const many = Array.from({ length: 60_000 }, (_, i) => ({
      checkId: 'CCE.1' as const,
      title: 't',
      status: 'PASSED' as const,
      severity: 'MEDIUM' as const,
      accountId: '123456789012',
      region: 'us-east-2',
      resourceType: 'AWS::EC2::VPC' as const,
      resourceId: `vpc-${i}`,
      resourceArn: `arn:aws:ec2:us-east-2:123456789012:vpc/vpc-${i}`,
      vpcId: `vpc-${i}`,
      message: 'm',
      remediation: 'r',
    }));
    expect(formatTable(many)).toContain('PASSED:         60000');
    const json = JSON.parse(formatJson(many)) as unknown[];
    expect(json).toHaveLength(60_000);
    expect(formatJson([])).toBe('[]\n');
  });
});
