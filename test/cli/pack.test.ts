/**
 * The installable command: `npm pack` makes a tarball (bundling the command line first) that
 * installs into an empty folder and runs there, with the demo, its report formats and its
 * version, and holds nothing but what it needs. Packs a copy of the project so the working tree's
 * dist/ is never touched. Takes half a minute or more: `npm run test:pack`, not part of `npm test`.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');
/** Never copied: installed, built or generated here, or version control. */
const SKIP = new Set([
  'node_modules',
  '.git',
  'dist',
  '.serverless',
  '.serverless-package.lock',
  'coverage',
  'bench/out',
]);

/** The environment of a child npm: none of the npm_* settings of an `npm run` that started this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 120_000 });
}

function expectOk(result: SpawnSyncReturns<string>, what: string): void {
  expect(result.status, `${what}: ${result.stderr.slice(-1500)}${result.error?.message ?? ''}`).toBe(0);
}

describe.runIf(process.env.CCE_PACK_TEST === '1')('npm pack', () => {
  it('makes a tarball that installs and runs the command, holding only what it needs', () => {
    const work = mkdtempSync(join(tmpdir(), 'cce-pack-'));
    try {
      checkPackage(work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});

function checkPackage(work: string): void {
  const source = join(work, 'source');
  cpSync(ROOT, source, { recursive: true, filter: (path) => !SKIP.has(relative(ROOT, path)) });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);

  expectOk(run('npm', ['pack', '--pack-destination', tarballs], source), 'npm pack');
  const [tarball] = readdirSync(tarballs).filter((name) => name.endsWith('.tgz'));
  expect(tarball).toMatch(/^codecommit-endpoint-auditor-\d+\.\d+\.\d+\.tgz$/);

  const listing = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], source);
  expectOk(listing, 'npm pack --dry-run');
  const [{ files }] = JSON.parse(listing.stdout) as [{ files: { path: string; mode: number }[] }];
  expect(files.map((f) => f.path).sort()).toEqual([
    'README.md',
    'dist/cli/codecommit-endpoint-auditor.mjs',
    'events/demo-inventory.json',
    'events/demo-params.json',
    'package.json',
  ]);

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "install-check", "private": true }\n');
  const archive = join(tarballs, tarball ?? '');
  let install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', archive], app);
  // A cache that holds the dependencies' tarballs but not yet their registry documents.
  if (install.status !== 0 && /ENOTCACHED/.test(install.stderr))
    install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', archive], app);
  expectOk(install, 'npm install');

  const version = run('npx', ['--no', '--', 'codecommit-endpoint-auditor', '--version'], app);
  expectOk(version, '--version');
  expect(version.stdout).toBe(`${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);

  const demo = run('npx', ['--no', '--', 'codecommit-endpoint-auditor', '--demo'], app);
  expectOk(demo, '--demo');
  expect(demo.stdout).toContain('Account 123456789012, region us-east-2');
  expect(demo.stdout).toMatch(/^Summary of \d+ findings:$/m);
  expect(demo.stderr).toBe('Demo parameters from events/demo-params.json (--params to override)\n');

  const reports = run(
    'npx',
    [
      '--no',
      '--',
      'codecommit-endpoint-auditor',
      '--demo',
      '--quiet',
      '--format',
      'html,csv,ocsf',
      '--output-dir',
      'out',
    ],
    app,
  );
  expectOk(reports, '--output-dir');
  const paths = reports.stdout.trim().split('\n');
  expect(paths.map((p) => p.replace(/\d{8}T\d{6}Z/, 'TIME'))).toEqual([
    'out/codecommit-endpoint-audit-TIME.html',
    'out/codecommit-endpoint-audit-TIME.csv',
    'out/codecommit-endpoint-audit-TIME.ocsf.jsonl',
  ]);
  expect(readFileSync(join(app, paths[0] ?? ''), 'utf8').startsWith('<!doctype html>')).toBe(true);
}
