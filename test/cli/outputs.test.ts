import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from '../../functions/cli/args';
import { runCli, scanParams } from '../../functions/cli/main';
import { fileTimestamp, paramsRecord } from '../../functions/cli/outputs';
import type { Finding } from '../../functions/core/finding';
import { parseParams } from '../../functions/core/params';
import { CHECK_IDS } from '../../functions/checks/index';

const NOW = new Date('2026-11-27T20:50:49.321Z');
const STAMP = '20261127T205049Z';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cce-outputs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('--format lists and --output-dir', () => {
  it('writes every format to DIR (created), named by the UTC time, and prints the paths in the order given', async () => {
    const out = join(dir, 'reports', 'today');
    const { code, stdout, stderr } = await cli(
      '--demo',
      '--format',
      'html,json,csv,ocsf,asff,table',
      '--output-dir',
      out,
    );
    expect(code, stderr).toBe(0);
    const names = ['html', 'json', 'csv', 'ocsf.jsonl', 'asff.json', 'txt'].map(
      (ext) => `${join(out, `codecommit-endpoint-audit-${STAMP}`)}.${ext}`,
    );
    expect(stdout).toBe(names.map((name) => `${name}\n`).join(''));
    for (const name of names) expect(statSync(name).mode & 0o777, name).toBe(0o600);
    expect(stderr).toMatch(/^\d+ findings from 4 account-region\(s\)$/m);

    const plain = await cli('--demo', '--format', 'json');
    const [html, json, csv, ocsf, asff, table] = names.map((name) => readFileSync(name, 'utf8'));
    expect(json).toBe(plain.stdout);
    const findings = JSON.parse(json ?? '') as Finding[];
    expect(html?.startsWith('<!doctype html>')).toBe(true);
    expect(csv?.split('\r\n')[0]).toMatch(/^"checkId","title",/);
    expect(csv?.trimEnd().split('\r\n')).toHaveLength(findings.length + 1);
    const events = (ocsf ?? '').trimEnd().split('\n');
    expect(events).toHaveLength(findings.length);
    expect(JSON.parse(events[0] ?? '')).toMatchObject({
      time: NOW.getTime(),
      metadata: { product: { version: VERSION } },
    });
    const imported = JSON.parse(asff ?? '') as { UpdatedAt: string }[];
    expect(imported.length).toBe(findings.filter((f) => f.status === 'FAILED' || f.status === 'ERROR').length);
    expect(imported[0]?.UpdatedAt).toBe(NOW.toISOString());
    expect(table).toContain(`Summary of ${findings.length} findings:`);
  });

  it('writes a single format to DIR too', async () => {
    const { code, stdout } = await cli('--demo', '--format', 'csv', '--output-dir', dir);
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(dir, `codecommit-endpoint-audit-${STAMP}.csv`)}\n`);
  });

  it('replaces no file without --force, checked before the scan; replaces it with --force', async () => {
    const target = join(dir, `codecommit-endpoint-audit-${STAMP}.json`);
    writeFileSync(target, 'keep');
    const refused = await cli('--demo', '--format', 'csv,json', '--output-dir', dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`error: --output-dir: ${target} exists; pass --force to replace it\n`);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(existsSync(join(dir, `codecommit-endpoint-audit-${STAMP}.csv`))).toBe(false);

    const forced = await cli('--demo', '--format', 'csv,json', '--output-dir', dir, '--force', '--quiet');
    expect(forced.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(/^\[\n\{"checkId"/);
  });

  it('never writes through a symbolic link, even with --force', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const link = join(dir, `codecommit-endpoint-audit-${STAMP}.txt`);
    symlinkSync(victim, link);
    const { code, stderr } = await cli('--demo', '--output-dir', dir, '--force');
    expect(code).toBe(2);
    expect(stderr).toBe(`error: --output-dir: ${link} is a symbolic link; it is not written\n`);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('exits 2 when DIR is a file', async () => {
    const notDir = join(dir, 'file');
    writeFileSync(notDir, '');
    const { code, stderr } = await cli('--demo', '--format', 'csv', '--output-dir', notDir);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: --output-dir ${notDir}: not a folder\n`);
  });

  it.each([
    [['--demo', '--format', 'csv,json'], 'error: --format csv,json: several formats need --output-dir DIR'],
    [
      ['--demo', '--format', 'csv,xml'],
      'error: --format csv,xml: "xml" is not one of table, json, asff, csv, ocsf, html',
    ],
    [['--demo', '--format', 'csv,'], 'error: --format csv,: an empty format is not one of'],
    [['--demo', '--output-dir', ''], 'error: --output-dir: expected a folder'],
  ])('%j: exit 2, one clear line, nothing on stdout', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(message), stderr).toBe(true);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes a format once however often it is named, and in any case', () => {
    expect(parseCliArgs(['--demo', '--format', 'JSON,json, csv', '--output-dir', dir]).formats).toEqual([
      'json',
      'csv',
    ]);
    expect(parseCliArgs(['--demo', '--format', 'json,json']).outputDir).toBeUndefined();
  });

  it('names files by the UTC second', () => {
    expect(fileTimestamp(new Date('2026-01-02T03:04:05.999Z'))).toBe('20260102T030405Z');
  });
});

describe('--version, --quiet, --since', () => {
  it('--version prints the package version', async () => {
    const { code, stdout, stderr } = await cli('--version');
    expect(code).toBe(0);
    expect(stdout).toBe(`${VERSION}\n`);
    expect(stderr).toBe('');
  });

  it('--quiet leaves stderr empty on a clean scan; the output is unchanged', async () => {
    const loud = await cli('--demo', '--format', 'json');
    const quiet = await cli('--demo', '--format', 'json', '--quiet');
    expect(loud.stderr).not.toBe('');
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
  });

  it('--quiet still prints warnings and errors', async () => {
    const tripped = await cli('--demo', '--format', 'json', '--quiet', '--fail-on', 'HIGH');
    expect(tripped.code).toBe(1);
    expect(tripped.stderr).toBe('--fail-on HIGH: FAILED findings at or above HIGH\n');
    const bad = await cli('--demo', '--quiet', '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --format xml/);
  });

  it.each([
    ['90m', 2],
    ['60m', 1],
    ['1m', 1],
    ['24h', 24],
    ['7d', 168],
    ['90d', 2160],
    ['2160h', 2160],
  ])('--since %s reads the last %i hour(s) of CloudTrail, over trafficLookbackHours', async (since, hours) => {
    const options = parseCliArgs(['--demo', '--since', since, '--params', '{"trafficLookbackHours":"5"}']);
    expect(options.sinceHours).toBe(hours);
    expect((await scanParams(options)).trafficLookbackHours).toBe(hours);
  });

  it('without --since, trafficLookbackHours holds', async () => {
    const options = parseCliArgs(['--demo', '--params', '{"trafficLookbackHours":"5"}']);
    expect((await scanParams(options)).trafficLookbackHours).toBe(5);
  });

  it.each(['0m', '0d', '91d', '2161h', '129601m', '1.5h', '24', 'h', '7 d', '1w', '24H'])(
    '--since %j: exit 2 naming the flag',
    async (since) => {
      const { code, stdout, stderr } = await cli('--demo', '--since', since);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `error: --since ${since}: expected a duration of whole minutes, hours or days such as 90m, 24h or 7d, more than 0 and at most 90d\n`,
      );
    },
  );

  it('lists the new flags in the usage', () => {
    for (const flag of [
      '--format table|json|asff|csv|ocsf|html',
      '--output-dir DIR',
      '--since DURATION',
      '--quiet',
      '--version',
    ])
      expect(USAGE).toContain(flag);
  });
});

describe('report metadata', () => {
  it('gives the parameters as plain JSON values', () => {
    const params = parseParams(
      { trustedCidrs: '198.51.100.0/24', requiredEndpoints: 'api,git', fipsTag: 'fips=yes' },
      CHECK_IDS,
    );
    const record = paramsRecord(params);
    expect(record).toMatchObject({
      trustedCidrs: ['198.51.100.0/24'],
      requiredEndpoints: ['api', 'git'],
      fipsTag: 'fips=yes',
      exemptTag: 'codecommit-audit:exempt=true',
      trafficLookbackHours: 24,
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});
