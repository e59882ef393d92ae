import { randomBytes } from 'node:crypto';
import { createDatabaseClient, type DatabaseClient, runMigrations, seedOrganizations } from '@nordraum/db';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh, migrated database of its own for one test file. */
export interface TestDatabase extends DatabaseClient {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Creates, migrates and seeds a database named after nothing but chance. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `nordraum_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  await runMigrations(url);
  const client = createDatabaseClient({ url, max: 5 });
  await seedOrganizations(client.db);
  return {
    ...client,
    url,
    async drop() {
      await client.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
