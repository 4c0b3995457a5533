import { fakeLiveAccount, type LiveAccount } from '../fixtures/live-account';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import { formatDuration, progressText, scanProgress } from '../../functions/cli/progress';
import { syntheticRegion } from '../fixtures/fake-ec2';

describe('progress text', () => {
  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('shows account-regions done of total, API calls, elapsed time and the ETA', () => {
    expect(progressText({ done: 5, total: 20, calls: 312, elapsedMs: 10_000 }, 120)).toBe(
      '[#####---------------] 5/20 account-regions  312 API calls  0:10 elapsed  ETA 0:30',
    );
    expect(progressText({ done: 0, total: 3, calls: 1, elapsedMs: 500 }, 120)).toBe(
      '[--------------------] 0/3 account-regions  1 API calls  0:01 elapsed  ETA -:--',
    );
    expect(progressText({ done: 3, total: 3, calls: 40, elapsedMs: 61_000 }, 120)).toBe(
      '[####################] 3/3 account-regions  40 API calls  1:01 elapsed  done',
    );
  });

  it('never wraps the terminal: the bar narrows, then goes, then the text is cut', () => {
    const state = { done: 120, total: 170, calls: 123_456, elapsedMs: 3_723_000 };
    expect(progressText(state)).toBe('[#####--] 120/170 account-regions  123456 API calls  1:02:03 elapsed  ETA 25:51');
    expect(progressText(state)).toHaveLength(79);
    expect(progressText(state, 70)).toBe('120/170 account-regions  123456 API calls  1:02:03 elapsed  ETA 25:51');
    expect(progressText(state, 40)).toBe('120/170 account-regions  123456 API cal');
  });
});

describe('scanProgress', () => {
  function recorder(mode: 'quiet' | 'lines' | 'bar') {
    let out = '';
    let clock = 1_000;
    let calls = 0;
    const progress = scanProgress({
      mode,
      total: 2,
      write: (t) => (out += t),
      calls: () => calls,
      now: () => clock,
      redrawMs: 0,
    });
    return {
      progress,
      out: () => out,
      tick: (ms: number, moreCalls: number) => {
        clock += ms;
        calls += moreCalls;
      },
    };
  }

  it('bar: redraws one line with \\r, prints problems and notes above it, ends on its own line', () => {
    const r = recorder('bar');
    r.progress.note('Scanning account 123456789012: 2 region(s), 2 at a time\n');
    r.tick(2000, 5);
    r.progress.scopeDone('[1/2] us-east-2: 3 VPCs, 6 CodeCommit endpoints in 2.0 s\n', false);
    r.tick(2000, 4);
    r.progress.scopeDone('[2/2] eu-west-1: 2 VPCs; incomplete (DescribeVpcs: AccessDenied) in 4.0 s\n', true);
    r.progress.end();
    r.progress.note('Saved the collected inventory\n');
    expect(r.out().split('\r\x1b[K')).toEqual([
      'Scanning account 123456789012: 2 region(s), 2 at a time\n',
      '[--------------------] 0/2 account-regions  0 API calls  0:00 elapsed  ETA -:--',
      '[##########----------] 1/2 account-regions  5 API calls  0:02 elapsed  ETA 0:02',
      '[2/2] eu-west-1: 2 VPCs; incomplete (DescribeVpcs: AccessDenied) in 4.0 s\n',
      '[####################] 2/2 account-regions  9 API calls  0:04 elapsed  done',
      '[####################] 2/2 account-regions  9 API calls  0:04 elapsed  done\nSaved the collected inventory\n',
    ]);
  });

  it('lines: every line as it comes, as in a log', () => {
    const r = recorder('lines');
    r.progress.note('Scanning\n');
    r.progress.scopeDone('[1/2] us-east-2\n', false);
    r.progress.scopeDone('[2/2] eu-west-1\n', true);
    r.progress.end();
    expect(r.out()).toBe('Scanning\n[1/2] us-east-2\n[2/2] eu-west-1\n');
  });

  it('quiet: nothing', () => {
    const r = recorder('quiet');
    r.progress.note('Scanning\n');
    r.progress.scopeDone('[1/2] us-east-2\n', true);
    r.progress.end();
    expect(r.out()).toBe('');
  });
});

describe('live scan progress on stderr', () => {
  let account: LiveAccount;

  beforeEach(() => {
    account = fakeLiveAccount(
      { 'us-east-2': syntheticRegion('us-east-2', 3, 6), 'eu-west-1': syntheticRegion('eu-west-1', 2, 2) },
      ['eu-west-1', 'us-east-2'],
    );
  });
  afterEach(() => account.restore());

  async function scan(io: { stderrIsTTY?: boolean; stderrColumns?: number }, ...extra: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--regions', 'us-east-2,eu-west-1', '--format', 'json', ...extra], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
      ...io,
    });
    return { code, stdout, stderr };
  }

  it('draws a bar on a terminal, ending at 2/2 on its own line', async () => {
    const { code, stderr } = await scan({ stderrIsTTY: true, stderrColumns: 120 });
    expect(code).toBe(0);
    expect(stderr).toContain('\r\x1b[K[##########----------] 1/2 account-regions  ');
    const lines = stderr.split('\r\x1b[K');
    expect(lines.at(-1)).toMatch(
      /^\[#{20}\] 2\/2 account-regions {2}\d+ API calls {2}\d+:\d\d elapsed {2}done\n\d+ findings from 2 account-region\(s\)\n$/,
    );
    expect(stderr).not.toMatch(/\[1\/2\] (us-east-2|eu-west-1): /);
  });

  it('prints plain lines when stderr is not a terminal (as before)', async () => {
    const { code, stderr } = await scan({ stderrIsTTY: false });
    expect(code).toBe(0);
    expect(stderr).not.toContain('\r');
    expect(stderr).toContain('Scanning account 123456789012: 2 region(s), 2 at a time\n');
    expect(stderr).toMatch(
      /^\[2\/2\] (us-east-2|eu-west-1): \d+ VPCs, \d+ CodeCommit endpoints, \d+ CodeCommit events in [\d.]+ s$/m,
    );
  });

  it('prints nothing with --quiet, on a terminal or not', async () => {
    for (const stderrIsTTY of [true, false]) {
      const { code, stdout, stderr } = await scan({ stderrIsTTY }, '--quiet');
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(JSON.parse(stdout)).not.toHaveLength(0);
    }
  });
});
