import { defineConfig } from 'vitest/config';

// One run for everything `npm test` promises: unit tests beside their code, integration tests
// against a real PostgreSQL, browser tests in Chromium. Two cores: at most two workers.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/server/src/**/*.test.ts',
      'apps/web/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    globalSetup: ['tests/setup/database.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A page load or a first sync on the loaded two-core CI machine may take seconds, so an
    // expect.poll waits up to 10 s (the default is 1 s). Tests that promise a time measure it.
    expect: { poll: { timeout: 10_000 } },
  },
});
