/**
 * Once per test run: an id the test workers share, no stale lock, and on a full run the
 * packaging (the slowest fixture) started at once, beside the first test files.
 */
import { rmSync } from 'node:fs';
import { PACKAGE_LOCK, packageUnderLock } from './infra/package';

export default function setup(): () => Promise<void> {
  const run = `${process.pid}-${Date.now()}`;
  process.env.CCE_TEST_RUN = run;
  rmSync(PACKAGE_LOCK, { recursive: true, force: true });
  // `vitest run` with file filters runs part of the suite: leave packaging to whichever test needs it.
  const filtered = process.argv.slice(2).some((arg) => !arg.startsWith('-') && arg !== 'run');
  const packaging = filtered ? undefined : packageUnderLock(run)?.catch(() => undefined);
  return async () => {
    await packaging;
  };
}
