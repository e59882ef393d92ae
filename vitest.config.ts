import { defineConfig } from 'vitest/config';

// One run for everything `npm test` promises: unit tests beside their code, integration tests
// against a real PostgreSQL, browser tests in Chromium. Two cores: at most two workers.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/database.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
