import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: [],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/dialect-reporter.ts'],
    // Tests run in UTC; CI repeats the date-heavy ones with TEST_TZ=Asia/Tokyo to catch local-time code.
    env: { TZ: process.env.TEST_TZ ?? 'UTC' },
  },
});
