import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

/**
 * The database itself, as `createDatabaseClient` opens it: a pool behind it (`$client`). A
 * transaction is a `PgDatabase` too but has no `$client`, so it is not a `Database`: a function
 * that must not run inside a transaction (it prepares statements per database) takes this type.
 */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/**
 * What runs queries: the database itself or a transaction on it (both are Drizzle's `PgDatabase`).
 * A repository function that takes this can be given either, so it joins the caller's transaction.
 */
export type Queryable = PgDatabase<NodePgQueryResultHKT, typeof schema>;

/** A pooled connection to one PostgreSQL database and the Drizzle handle on it. */
export interface DatabaseClient {
  db: Database;
  pool: pg.Pool;
  /** Whether the database answers a trivial query right now. */
  ping(): Promise<boolean>;
  /** Opens the `keep` connections now, so the first burst of work does not wait for them. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link createDatabaseClient}. */
export interface DatabaseClientOptions {
  url: string;
  /** Pool size; default 10. */
  max?: number;
  /** Connections kept open however long they idle (see `warm`); default 0. */
  keep?: number;
  /** Called for errors of idle pooled connections (e.g. the server restarted). */
  onError?: (error: Error) => void;
}

/** Opens a pool; nothing connects until the first query. */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    // Opening a connection costs a PostgreSQL process and a SCRAM handshake; pg's default (close
    // after 10 s idle) re-opened them in every burst of work, stalling it. Keep them a while.
    idleTimeoutMillis: 5 * 60_000,
    min: options.keep ?? 0,
  });
  pool.on('error', (error) => options.onError?.(error));
  // The pool's own listener reports an idle connection's first error and then removes itself; a
  // dying connection can emit a second one ("Connection terminated unexpectedly") with nobody
  // listening, which would end the process. Every connection keeps a listener of its own: the
  // error still reaches the pool's 'error' (above) or the query that was running.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool, schema });
  return {
    db,
    pool,
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async warm() {
      const clients = await Promise.all(Array.from({ length: options.keep ?? 0 }, () => pool.connect()));
      for (const client of clients) client.release();
    },
    close: () => pool.end(),
  };
}

/**
 * Makes `create` run once per database: for prepared statements, which drizzle binds to the
 * database they were prepared on (tests and several instances may each have their own).
 */
export function perDatabase<T>(create: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = create(db);
      made.set(db, value);
    }
    return value;
  };
}
