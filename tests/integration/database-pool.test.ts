import { createDatabaseClient } from '@nordraum/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const backends = async () =>
  Number(
    (
      await database.pool.query(
        "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'pool-warm-test'",
      )
    ).rows[0].count,
  );

it('opens the connections it keeps before the first burst of work asks for them', async () => {
  const url = new URL(database.url);
  url.searchParams.set('application_name', 'pool-warm-test');
  const client = createDatabaseClient({ url: url.toString(), max: 8, keep: 3 });
  try {
    expect(await backends()).toBe(0);
    await client.warm();
    expect(client.pool.totalCount).toBe(3);
    expect(client.pool.idleCount).toBe(3);
    expect(await backends()).toBe(3);
    // Three queries at once find them open: no connection is opened for them.
    await Promise.all([1, 2, 3].map(() => client.pool.query('select pg_sleep(0.05)')));
    expect(client.pool.totalCount).toBe(3);
  } finally {
    await client.close();
  }
});
