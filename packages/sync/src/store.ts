import type pg from 'pg';
import * as Y from 'yjs';

/**
 * The update log in PostgreSQL.
 *
 * Invariants:
 * - Appends are group-committed: whatever arrives while a commit is in flight goes into the next
 *   one, a single round trip (one multi-statement query, one implicit transaction). No fixed sleep.
 * - Per document, sequence numbers are taken from `document.update_seq` under its row lock, so they
 *   commit in order on every instance: a reader that has seen seq n has seen everything up to n.
 * - The commit also sends the NOTIFY that announces the new entries, so other instances hear of an
 *   update only once it is durable.
 * - Compaction writes a snapshot covering seq <= n and deletes exactly those entries, in one
 *   transaction; appends need no lock against it, and a snapshot never replaces a newer one.
 */

/** A durable append: where it landed in the document's log. */
export interface Appended {
  seq: number;
}

/** A document as stored: snapshot plus newer log entries. */
export interface StoredDocument {
  snapshot: Uint8Array | undefined;
  updates: { seq: number; update: Uint8Array }[];
  /** Highest seq contained in snapshot and updates. */
  lastSeq: number;
  /** Log entries newer than the snapshot. */
  logLength: number;
}

/** What the sync server needs from storage. */
export interface DocumentStore {
  load(documentId: string): Promise<StoredDocument>;
  append(documentId: string, update: Uint8Array, userId: string | null): Promise<Appended>;
  readSince(documentId: string, afterSeq: number): Promise<{ seq: number; update: Uint8Array }[]>;
  /** Folds the log into the snapshot; returns false when another instance is already at it. */
  compact(documentId: string): Promise<boolean>;
  /** Resolves when everything appended so far is committed (or failed). */
  flush(): Promise<void>;
}

/** Options for {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  pool: pg.Pool;
  /** Identifies this instance in NOTIFY payloads, so it can ignore its own. */
  instanceId: string;
  /** Channel for update announcements; default `nordraum_doc`. */
  channel?: string;
  /** Observes the duration of each batch commit, in seconds. */
  onBatch?: (seconds: number, size: number) => void;
}

interface Pending {
  documentId: string;
  update: Uint8Array;
  userId: string | null;
  resolve: (appended: Appended) => void;
  reject: (error: Error) => void;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// NOTIFY payloads must stay under 8000 bytes; larger updates are read from the log instead.
const maxInlineBytes = 5_000;

const hex = (bytes: Uint8Array) =>
  `'\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}'::bytea`;

function checkUuid(value: string): string {
  if (!uuidPattern.test(value)) throw new Error(`not a uuid: ${value}`);
  return value;
}

/** One statement per document: take seqs under the row lock, insert, announce. */
function appendStatement(documentId: string, entries: Pending[], instanceId: string, channel: string): string {
  const id = checkUuid(documentId);
  const n = entries.length;
  const values = entries
    .map(
      (entry, index) =>
        `(${index + 1}, ${hex(entry.update)}, ${entry.userId ? `'${checkUuid(entry.userId)}'::uuid` : 'NULL::uuid'})`,
    )
    .join(', ');
  // The updates travel inline, unmerged (merging costs more than it saves), when they are small.
  const size = entries.reduce((sum, entry) => sum + entry.update.byteLength, 0);
  const inline =
    size <= maxInlineBytes ? entries.map((entry) => Buffer.from(entry.update).toString('base64')).join(',') : '';
  const payload = `'{"i":"${instanceId}","d":"${id}","c":${n},"t":' || (extract(epoch from clock_timestamp()) * 1000)::bigint || ',"l":' || s.update_seq || ',"u":"${inline}"}'`;
  return `WITH s AS (UPDATE document SET update_seq = update_seq + ${n}, updated_at = now() WHERE id = '${id}' RETURNING update_seq),
  ins AS (INSERT INTO doc_update (document_id, seq, "update", user_id)
    SELECT '${id}', s.update_seq - ${n} + v.i, v.u, v.usr FROM s, (VALUES ${values}) AS v(i, u, usr)),
  n AS (SELECT pg_notify('${channel}', ${payload}) FROM s)
  SELECT s.update_seq AS last, (SELECT count(*) FROM n) AS notified FROM s`;
}

/** The PostgreSQL implementation of {@link DocumentStore}. */
export function createPostgresStore(options: PostgresStoreOptions): DocumentStore {
  const { pool, instanceId } = options;
  const channel = options.channel ?? 'nordraum_doc';
  let queue: Pending[] = [];
  let inFlight: Promise<void> | undefined;

  async function commit(batch: Pending[]) {
    const byDocument = new Map<string, Pending[]>();
    for (const entry of batch) byDocument.set(entry.documentId, [...(byDocument.get(entry.documentId) ?? []), entry]);
    // Lock document rows in one order on every instance: no deadlocks between batches.
    const documents = [...byDocument.keys()].sort();
    const started = performance.now();
    const sql = documents.map((id) => appendStatement(id, byDocument.get(id)!, instanceId, channel)).join(';\n');
    const results = (await pool.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    options.onBatch?.((performance.now() - started) / 1000, batch.length);
    const list = Array.isArray(results) ? results : [results];
    for (const [index, id] of documents.entries()) {
      const entries = byDocument.get(id)!;
      const last = list[index]?.rows[0]?.last as string | number | undefined;
      if (last === undefined) {
        for (const entry of entries) entry.reject(new Error('document no longer exists'));
        continue;
      }
      const first = Number(last) - entries.length + 1;
      for (const [offset, entry] of entries.entries()) entry.resolve({ seq: first + offset });
    }
  }

  function flushNow(): Promise<void> {
    if (inFlight || queue.length === 0) return inFlight ?? Promise.resolve();
    const batch = queue;
    queue = [];
    inFlight = commit(batch)
      .catch((error: Error) => {
        for (const entry of batch) entry.reject(error);
      })
      .finally(() => {
        inFlight = undefined;
        if (queue.length > 0) void flushNow();
      });
    return inFlight;
  }

  async function readLog(client: pg.PoolClient | pg.Pool, documentId: string, afterSeq: number) {
    const { rows } = await client.query<{ seq: string; update: Buffer }>(
      'SELECT seq, "update" FROM doc_update WHERE document_id = $1 AND seq > $2 ORDER BY seq',
      [documentId, afterSeq],
    );
    return rows.map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.update) }));
  }

  async function load(documentId: string): Promise<StoredDocument> {
    const client = await pool.connect();
    try {
      // One snapshot of the database: a compaction committing in between cannot hide entries.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ seq: string; state: Buffer }>(
        'SELECT seq, state FROM doc_snapshot WHERE document_id = $1',
        [documentId],
      );
      const snapshotSeq = rows[0] ? Number(rows[0].seq) : 0;
      const updates = await readLog(client, documentId, snapshotSeq);
      await client.query('COMMIT');
      return {
        snapshot: rows[0] ? new Uint8Array(rows[0].state) : undefined,
        updates,
        lastSeq: updates.at(-1)?.seq ?? snapshotSeq,
        logLength: updates.length,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function compact(documentId: string): Promise<boolean> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: locked } = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_xact_lock(hashtext('compact:' || $1::text)) AS ok",
        [documentId],
      );
      if (!locked[0]?.ok) {
        await client.query('ROLLBACK');
        return false;
      }
      const { rows } = await client.query<{ seq: string; state: Buffer }>(
        'SELECT seq, state FROM doc_snapshot WHERE document_id = $1',
        [documentId],
      );
      const snapshotSeq = rows[0] ? Number(rows[0].seq) : 0;
      const updates = await readLog(client, documentId, snapshotSeq);
      if (updates.length === 0) {
        await client.query('ROLLBACK');
        return true;
      }
      const doc = new Y.Doc();
      if (rows[0]) Y.applyUpdate(doc, new Uint8Array(rows[0].state));
      for (const { update } of updates) applySafely(doc, update);
      const lastSeq = updates.at(-1)!.seq;
      await client.query(
        `INSERT INTO doc_snapshot (document_id, seq, state, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, updated_at = now()
         WHERE doc_snapshot.seq < excluded.seq`,
        [documentId, lastSeq, Buffer.from(Y.encodeStateAsUpdate(doc))],
      );
      await client.query('DELETE FROM doc_update WHERE document_id = $1 AND seq <= $2', [documentId, lastSeq]);
      await client.query('COMMIT');
      doc.destroy();
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    load,
    compact,
    readSince: (documentId, afterSeq) => readLog(pool, documentId, afterSeq),
    append(documentId, update, userId) {
      return new Promise<Appended>((resolve, reject) => {
        queue.push({ documentId, update, userId, resolve, reject });
        // Let every message already read from the sockets join this batch.
        if (!inFlight && queue.length === 1) setImmediate(() => void flushNow());
      });
    },
    async flush() {
      while (inFlight || queue.length > 0) await (inFlight ?? flushNow());
    },
  };
}

/**
 * Applies a stored update, skipping one that cannot be applied instead of failing the whole
 * document: every update was validated before it was stored, so this is a last line of defence.
 */
export function applySafely(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}
