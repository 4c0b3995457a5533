import { describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import { CHECK_IDS } from '../../functions/checks/index';
import type { Finding } from '../../functions/core/finding';

describe('demo inventory', () => {
  it('exercises PASSED, FAILED and NOT_APPLICABLE for every check, across a FIPS region and a non-FIPS region', async () => {
    let stdout = '';
    await runCli(['--demo', '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} });
    const findings = JSON.parse(stdout) as Finding[];
    for (const id of CHECK_IDS) {
      const statuses = new Set(findings.filter((f) => f.checkId === id).map((f) => f.status));
      for (const status of ['PASSED', 'FAILED', 'NOT_APPLICABLE'] as const)
        expect(statuses.has(status), `${id} ${status}`).toBe(true);
    }
    expect(new Set(findings.map((f) => f.region))).toEqual(new Set(['us-east-2', 'eu-west-1', 'af-south-1']));
  });
});
