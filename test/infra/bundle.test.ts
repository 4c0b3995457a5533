/**
 * The bundles carry everything they need: run from a folder with no node_modules, the CLI
 * bundle still finds the CodeCommit action catalogue (CCE.9 names a misspelt action) and
 * a handler bundle loads and validates its event.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/core/finding';
import { packagedTemplate } from './package';

describe('bundles without node_modules', () => {
  it('the bundled CLI resolves the action catalogue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cce-bundle-'));
    await build({
      entryPoints: ['functions/cli/main.ts'],
      outfile: join(dir, 'cli.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: true,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cceCreateRequire } from 'node:module'; const require = __cceCreateRequire(import.meta.url);",
      },
    });
    const result = spawnSync(
      process.execPath,
      [
        join(dir, 'cli.mjs'),
        '--inventory',
        resolve('events/demo-inventory.json'),
        '--format',
        'json',
        '--params',
        '{"checks":"CCE.9"}',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(result.status, result.stderr.slice(-600)).toBe(0);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings.find((f) => f.resourceId === 'vpce-0b1b2c3d4e5f70003')?.message).toBe(
      'Statement "TypoPull" (Allow) never applies: codecommit:GitPulll names no real CodeCommit action.',
    );
  });

  it('the config-rule bundle loads on its own and reports a bad event clearly', async () => {
    await packagedTemplate(); // the bundles in dist/, as deployed
    const dir = mkdtempSync(join(tmpdir(), 'cce-lambda-'));
    cpSync(join('dist', 'config-rule'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'run.mjs'),
      "import { handler } from './index.mjs';\ntry { await handler({ invokingEvent: '{}' }); } catch (e) { console.log(e.name + ': ' + e.message); }\n",
    );
    const result = spawnSync(process.execPath, [join(dir, 'run.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-2', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    expect(result.stdout.trim()).toMatch(/^ConfigEventError: not an AWS Config rule event: resultToken: /);
  });
});
