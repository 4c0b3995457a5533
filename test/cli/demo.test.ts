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
      // An account is in scope or not at all: CCE.12 has no NOT_APPLICABLE.
      const expected =
        id === 'CCE.12' ? (['PASSED', 'FAILED'] as const) : (['PASSED', 'FAILED', 'NOT_APPLICABLE'] as const);
      for (const status of expected) expect(statuses.has(status), `${id} ${status}`).toBe(true);
    }
    expect(new Set(findings.map((f) => f.region))).toEqual(new Set(['us-east-2', 'eu-west-1', 'af-south-1']));
  });

  it('shows where traffic goes, the organization perimeter and Git credentials usable from anywhere', async () => {
    let stdout = '';
    let stderr = '';
    await runCli(['--demo', '--format', 'json'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
    });
    expect(stderr).toContain('Demo parameters from events/demo-params.json');
    const findings = JSON.parse(stdout) as Finding[];
    const of = (checkId: string, resourceId: string) =>
      findings.find((f) => f.checkId === checkId && f.resourceId === resourceId);
    // CCE.1 by route: internet gateway, transit gateway, no default route.
    expect(of('CCE.1', 'vpc-0a1b2c3d4e5f60003')).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(of('CCE.1', 'vpc-0a1b2c3d4e5f60005')).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(of('CCE.1', 'vpc-0b1b2c3d4e5f60003')).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    // CCE.12: the OU with AWS's network-perimeter SCP (codecommit:* added) passes; the sandbox OU without it fails.
    expect(of('CCE.12', '123456789012')).toMatchObject({ status: 'PASSED' });
    expect(of('CCE.12', '210987654321')).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    // CCE.13: an untagged CI user escapes the tag-scoped SCP; a developer the SCP covers passes.
    expect(of('CCE.13', 'ci-legacy')).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(of('CCE.13', 'alice')).toMatchObject({ status: 'PASSED' });
    expect(of('CCE.13', 'sandbox-dev')).toMatchObject({ status: 'FAILED' });
    expect(of('CCE.13', 'auditor')).toMatchObject({ status: 'NOT_APPLICABLE' });
  });
});
