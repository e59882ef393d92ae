import type pg from 'pg';
import { type Appended, createAppendLog } from './append-log.ts';
import {
  claimClientsQuery,
  compactLockQuery,
  deleteCoveredQuery,
  type LogRow,
  readLogQuery,
  readOwnersQuery,
  writeSnapshotQuery,
} from './store-queries.ts';
import { foldStored, type StoredDocument } from './yjs-state.ts';

/**
 * The update log in PostgreSQL.
 *
 * Invariants:
 * - Appends are group-committed (append-log.ts): whatever arrives while the commits are in flight
 *   goes into the next one, one call of `nordraum_append` (drizzle/0006), one implicit transaction;
 *   with `maxInFlight` 2 two commit at once, their entries resolved in the order the batches started.
 * - Per document, sequence numbers are taken from `document.update_seq` under its row lock, so they
 *   commit in order on every instance: a reader that has seen seq n has seen everything up to n.
 * - The commit also sends the NOTIFY that announces the new entries, so other instances hear of an
 *   update only once it is durable (unless no other instance can exist: `announce: false`).
 * - Compaction writes a snapshot covering seq <= n and deletes exactly those entries, in one
 *   transaction; appends need no lock against it, and a snapshot never replaces a newer one.
 * - An append to a deleted document fails with `DocumentGoneError`.
 */

export type { Appended } from './append-log.ts';
export type { StoredDocument } from './yjs-state.ts';

/** The log after a position: a newer snapshot if entries were compacted away, then the entries. */
export interface LogSince {
  snapshot: { seq: number; state: Uint8Array } | undefined;
  updates: { seq: number; update: Uint8Array }[];
}

/** What the sync server needs from storage. */
export interface DocumentStore {
  load(documentId: string): Promise<StoredDocument>;
  append(documentId: string, update: Uint8Array, userId: string | null): Promise<Appended>;
  /**
   * What the log holds after `afterSeq`. When a compaction (here or on another instance) folded
   * entries after `afterSeq` into the snapshot, they are gone from the log: the snapshot comes
   * with them, and the entries after it.
   */
  readSince(documentId: string, afterSeq: number): Promise<LogSince>;
  /**
   * The document as stored (snapshot and the newer log entries), read in one statement: the
   * state at one log position, `lastSeq`, holding every entry committed before the read.
   */
  readStored(documentId: string): Promise<StoredDocument>;
  /**
   * Folds the log into the snapshot; returns false when another instance is already at it. With
   * `from`, the caller's copy of the document at log position `seq` becomes the snapshot and the
   * log is not read back (the loaded document is that copy, so rebuilding it would be wasted work).
   */
  compact(documentId: string, from?: { state: Uint8Array; seq: number }): Promise<boolean>;
  /** Resolves when everything appended so far is committed (or failed). */
  flush(): Promise<void>;
  /** Records that these Yjs client ids of a document are the user's; the first claim of each stays. */
  claimClients(documentId: string, clientIds: number[], userId: string): Promise<void>;
  /** Flushes, then closes the store's own connection; later appends fail. */
  close(): Promise<void>;
}

/** Options for {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  pool: pg.Pool;
  /** Identifies this instance in NOTIFY payloads, so it can ignore its own. */
  instanceId: string;
  /**
   * Observes each batch commit: its duration in seconds, its updates, and whether it started
   * while another batch was still committing.
   */
  onBatch?: (seconds: number, size: number, overlapped: boolean) => void;
  /**
   * Whether commits announce themselves to other instances (NOTIFY nordraum_doc); default true.
   * False only where no other instance can use the database: the embedded PostgreSQL.
   */
  announce?: boolean;
  /** Batches of appends committing at once, each on a connection of its own; default 1. */
  maxInFlight?: number;
}

/** The log after `afterSeq` (-1: everything), read in one statement. */
async function readLog(client: pg.PoolClient | pg.Pool, documentId: string, afterSeq: number): Promise<LogSince> {
  const { rows } = await client.query<LogRow>(readLogQuery(documentId, afterSeq));
  const snapshot = rows[0]?.kind === 0 ? rows[0] : undefined;
  return {
    snapshot: snapshot ? { seq: Number(snapshot.seq), state: new Uint8Array(snapshot.data) } : undefined,
    updates: rows
      .filter((row) => row.kind === 1)
      .map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.data) })),
  };
}

/** Snapshot plus newer log entries. */
async function readStored(client: pg.PoolClient | pg.Pool, documentId: string): Promise<StoredDocument> {
  const { snapshot, updates } = await readLog(client, documentId, -1);
  return {
    snapshot: snapshot?.state,
    updates,
    lastSeq: updates.at(-1)?.seq ?? snapshot?.seq ?? 0,
    logLength: updates.length,
  };
}

/** Snapshot plus newer log entries as one state, or undefined when the log is empty. */
async function rebuild(client: pg.PoolClient, documentId: string) {
  const stored = await readStored(client, documentId);
  if (stored.updates.length === 0) return undefined;
  return { state: foldStored(stored), seq: stored.lastSeq };
}

/** See {@link DocumentStore.compact}. */
async function compact(pool: pg.Pool, documentId: string, from?: { state: Uint8Array; seq: number }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: locked } = await client.query<{ ok: boolean }>(compactLockQuery(documentId));
    if (!locked[0]?.ok) {
      await client.query('ROLLBACK');
      return false;
    }
    const snapshot = from ?? (await rebuild(client, documentId));
    if (!snapshot) {
      await client.query('ROLLBACK');
      return true;
    }
    await client.query(writeSnapshotQuery(documentId, snapshot.seq, snapshot.state));
    await client.query(deleteCoveredQuery(documentId, snapshot.seq));
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The PostgreSQL implementation of {@link DocumentStore}. */
export function createPostgresStore(options: PostgresStoreOptions): DocumentStore {
  const { pool } = options;
  const log = createAppendLog({ ...options, announce: options.announce ?? true });

  async function readOwners(documentId: string): Promise<Map<number, string>> {
    const { rows } = await pool.query<{ client_id: string; user_id: string }>(readOwnersQuery(documentId));
    return new Map(rows.map((row) => [Number(row.client_id), row.user_id]));
  }

  return {
    async load(documentId) {
      const [stored, clientOwners] = await Promise.all([readStored(pool, documentId), readOwners(documentId)]);
      return { ...stored, clientOwners };
    },
    async claimClients(documentId, clientIds, userId) {
      await pool.query(claimClientsQuery(documentId, clientIds, userId));
    },
    compact: (documentId, from) => compact(pool, documentId, from),
    readSince: (documentId, afterSeq) => readLog(pool, documentId, afterSeq),
    readStored: (documentId) => readStored(pool, documentId),
    append: log.append,
    flush: log.flush,
    close: log.close,
  };
}
