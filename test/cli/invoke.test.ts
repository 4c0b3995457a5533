import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInvoke } from '../../functions/cli/invoke';

async function invoke(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runInvoke(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('npm run invoke', () => {
  it.each([
    [[], 'error: unknown handler ""'],
    [['collector', 'events/scheduler/scheduled.json'], 'error: unknown handler "collector"'],
    [['worker'], 'error: expected one event file'],
    [['worker', 'a.json', 'b.json'], 'error: expected one event file'],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const { code, stderr } = await invoke(...argv);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `${message}\nUsage: npm run invoke -- scheduler|worker|config-rule|traffic EVENT.json [--dry-run (traffic)]\n`,
    );
  });

  it('exits 2 for an event file that cannot be read or is not JSON', async () => {
    expect((await invoke('worker', '/nonexistent/event.json')).stderr).toMatch(
      /^error: cannot read event file \/nonexistent\/event\.json: ENOENT/,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'cce-invoke-')), 'bad.json');
    writeFileSync(file, '{"Records": [');
    const result = await invoke('worker', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: event file .*bad\.json is not valid JSON: /);
  });

  it('exits 1 with one line when the handler fails, e.g. on bad rule parameters', async () => {
    const { code, stdout, stderr } = await invoke('config-rule', 'events/config/bad-parameters.json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: config-rule failed: unknown parameter "fipsRequird"; known parameters: requiredEndpoints, fipsRequired, fipsTag, fipsPushOnly, exemptTag, ignoreDefaultVpcs, trustedAccounts, trustedOrgIds, checks, perimeterExceptionTags, trustedCidrs, trafficLookbackHours\n',
    );
  });

  it('reports a scheduler without its queue configuration clearly', async () => {
    const { code, stderr } = await invoke('scheduler', 'events/scheduler/scheduled.json');
    expect(code).toBe(1);
    expect(stderr).toBe('error: scheduler failed: environment variable TASK_QUEUE_URL is required but not set\n');
  });
});
