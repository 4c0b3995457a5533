import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'threads',
    // Test files share a worker's module cache (much faster); test/setup.ts checks that no file
    // leaves an SDK client's prototype stubbed for the next.
    isolate: false,
    env: {
      AWS_REGION: 'us-east-2',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
