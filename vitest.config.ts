import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The default order (slowest first, by past runs), except that the files reading the packaged
 * template come last: the global setup starts packaging at once, and by then it is done.
 */
class PackagingLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const needsPackage = (f: TestSpecification): boolean => /test\/infra\/(template|iam)\.test\.ts$/.test(f.moduleId);
    return [...sorted.filter((f) => !needsPackage(f)), ...sorted.filter(needsPackage)];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests in a real browser need Debian's chromium: `npm run test:browser` (CI installs it).
    exclude: process.env.CCE_BROWSER_TESTS ? [] : ['test/**/*.browser.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'threads',
    // Test files share a worker's module cache (much faster); test/setup.ts checks that no file
    // leaves an SDK client's prototype stubbed for the next.
    isolate: false,
    sequence: { sequencer: PackagingLast },
    // The fault-injection scenarios wait on time limits, not on the CPU: all of them side by side.
    maxConcurrency: 24,
    env: {
      AWS_REGION: 'us-east-2',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
