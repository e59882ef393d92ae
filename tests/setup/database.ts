import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@nordraum/db';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL on which each test file creates its own database. */
    databaseUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run: the server in TEST_DATABASE_URL, or else an embedded one in a
 * temporary directory, removed afterwards.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('databaseUrl', external);
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-test-'));
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir });
  project.provide('databaseUrl', embedded.url);
  return async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
