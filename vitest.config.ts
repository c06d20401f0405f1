import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The benchmark's smoke run is a check of its own (`npm run test:bench`, bench/vitest.config.ts).
    include: [
      'src/**/*.test.ts',
      'auth-server/**/*.test.ts',
      'client-app/**/*.test.ts',
      'mcp-server/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['node_modules/**', 'e2e/**'],
    globalSetup: ['test/support/build-once.ts'],
    // Integration tests start real servers and SQLite databases; two cores, so keep workers modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
