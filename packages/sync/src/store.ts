import pg from 'pg';
import * as Y from 'yjs';

/**
 * The update log in PostgreSQL.
 *
 * Invariants:
 * - Appends are group-committed: whatever arrives while a commit is in flight goes into the next
 *   one, a single round trip: one call of `nordraum_append` (drizzle/0006), a prepared statement,
 *   one implicit transaction. No fixed sleep. A batch of one update that nobody needs to hear of
 *   (`announce: false`, the usual batch under typing) takes a plain statement instead: the same
 *   rows, at about two thirds of PostgreSQL's CPU and less of ours (no bytea[] to encode).
 * - Per document, sequence numbers are taken from `document.update_seq` under its row lock, so they
 *   commit in order on every instance: a reader that has seen seq n has seen everything up to n.
 * - The commit also sends the NOTIFY that announces the new entries, so other instances hear of an
 *   update only once it is durable (unless no other instance can exist: `announce: false`).
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
  /** Which user each claimed Yjs client id belongs to (`load` fills it in). */
  clientOwners?: Map<number, string>;
}

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
  /** Observes the duration of each batch commit, in seconds. */
  onBatch?: (seconds: number, size: number) => void;
  /**
   * Whether commits announce themselves to other instances (NOTIFY nordraum_doc); default true.
   * False only where no other instance can use the database: the embedded PostgreSQL.
   */
  announce?: boolean;
}

interface Pending {
  documentId: string;
  update: Uint8Array;
  userId: string | null;
  resolve: (appended: Appended) => void;
  reject: (error: Error) => void;
}

// NOTIFY payloads must stay under 8000 bytes; larger updates are read from the log instead.
const maxInlineBytes = 5_000;
/**
 * At most this many updates of one document per batch. nordraum_append inlines a document's
 * updates when their bytes fit `maxInlineBytes`, but the payload is base64 plus a comma each, and
 * for tiny updates that is up to five times the bytes: a thousand 4-byte updates in one batch
 * made PostgreSQL refuse the NOTIFY and roll back the whole batch, everyone's updates in it. With
 * at most 300 per document the inlined text stays under 4/3 x 5,000 + 300 x 4 characters (about
 * 7,900 with the header), inside the limit. More wait for the next batch, in order.
 */
const maxPerDocument = 300;

const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** `nordraum_append` (drizzle/0006) as a prepared statement: planned once per connection. */
const appendQuery = (instanceId: string, batch: Pending[], announce: boolean) => ({
  name: 'nordraum_append',
  text: 'SELECT document_id, last_seq FROM nordraum_append($1, $2, $3, $4, $5, $6)',
  values: [
    instanceId,
    batch.map((entry) => entry.documentId),
    batch.map((entry) => bytes(entry.update)),
    batch.map((entry) => entry.userId),
    maxInlineBytes,
    announce,
  ],
});

/**
 * One update, unannounced: `nordraum_append` for a batch of one, as a single statement. Returns
 * the same columns; no row when the document no longer exists.
 */
const appendOneQuery = (entry: Pending) => ({
  name: 'nordraum_append_one',
  text: `WITH d AS (
      UPDATE "document" SET update_seq = update_seq + 1, updated_at = now() WHERE id = $1 RETURNING id, update_seq
    )
    INSERT INTO doc_update (document_id, seq, "update", user_id) SELECT d.id, d.update_seq, $2, $3 FROM d
    RETURNING document_id, seq AS last_seq`,
  values: [entry.documentId, bytes(entry.update), entry.userId],
});

/**
 * The connection appends go through: one of its own, beside the pool, so that an edit never
 * waits for a pooled connection behind a burst of other queries, and a commit costs no checkout.
 * Opened on first use, and again after it failed.
 */
function appendConnection(pool: pg.Pool, name: string) {
  let current: Promise<pg.Client> | undefined;
  const open = () => {
    // Named, so an operator (or a test) can tell it apart in pg_stat_activity.
    const client = new pg.Client({ ...pool.options, application_name: name });
    const opening = client.connect().then(() => client);
    const forget = () => {
      if (current === opening) current = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    opening.catch(forget);
    return opening;
  };
  return {
    async query<Row extends pg.QueryResultRow>(query: pg.QueryConfig) {
      current ??= open();
      const used = current;
      const client = await used;
      try {
        return await client.query<Row>(query);
      } catch (error) {
        // The failure may arrive before the connection's own 'error' event: start afresh.
        if (current === used) current = undefined;
        client.end().catch(() => {});
        throw error;
      }
    },
    async close() {
      const closing = current;
      current = undefined;
      await closing?.then((client) => client.end()).catch(() => {});
    },
  };
}

/** The PostgreSQL implementation of {@link DocumentStore}. */
export function createPostgresStore(options: PostgresStoreOptions): DocumentStore {
  const { pool, instanceId, announce = true } = options;
  const writer = appendConnection(pool, `nordraum-append-${instanceId}`);
  let queue: Pending[] = [];
  let inFlight: Promise<void> | undefined;
  let closed = false;

  async function commit(batch: Pending[]) {
    const started = performance.now();
    const { rows } = await writer.query<{ document_id: string; last_seq: string }>(
      batch.length === 1 && !announce ? appendOneQuery(batch[0]!) : appendQuery(instanceId, batch, announce),
    );
    options.onBatch?.((performance.now() - started) / 1000, batch.length);
    const last = new Map(rows.map((row) => [row.document_id, Number(row.last_seq)]));
    // Entries of one document took consecutive seqs, in batch order, ending at its last_seq.
    const remaining = new Map<string, number>();
    for (const entry of batch) remaining.set(entry.documentId, (remaining.get(entry.documentId) ?? 0) + 1);
    for (const entry of batch) {
      const end = last.get(entry.documentId);
      if (end === undefined) {
        entry.reject(new Error('document no longer exists'));
        continue;
      }
      const left = remaining.get(entry.documentId)!;
      remaining.set(entry.documentId, left - 1);
      entry.resolve({ seq: end - left + 1 });
    }
  }

  /** Takes the next batch off the queue: everything, unless a document has too many in it. */
  function nextBatch(): Pending[] {
    let end = queue.length;
    // Under typing the queue holds one or two: no document can be over the limit, nothing to count.
    if (end > maxPerDocument) {
      const perDocument = new Map<string, number>();
      for (end = 0; end < queue.length; end += 1) {
        const documentId = queue[end]!.documentId;
        const count = (perDocument.get(documentId) ?? 0) + 1;
        if (count > maxPerDocument) break;
        perDocument.set(documentId, count);
      }
    }
    if (end < queue.length) return queue.splice(0, end);
    const batch = queue;
    queue = [];
    return batch;
  }

  function flushNow(): Promise<void> {
    if (inFlight || queue.length === 0) return inFlight ?? Promise.resolve();
    const batch = nextBatch();
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

  /** The log after `afterSeq`, with the snapshot when it covers entries after it (one statement). */
  async function readLog(documentId: string, afterSeq: number): Promise<LogSince> {
    const { rows } = await pool.query<{ kind: number; seq: string; data: Buffer }>(
      `WITH s AS (SELECT seq, state FROM doc_snapshot WHERE document_id = $1 AND seq > $2)
        SELECT 0 AS kind, seq, state AS data FROM s
        UNION ALL
        SELECT 1, seq, "update" FROM doc_update
          WHERE document_id = $1 AND seq > greatest($2, coalesce((SELECT seq FROM s), 0))
        ORDER BY kind, seq`,
      [documentId, afterSeq],
    );
    const snapshot = rows[0]?.kind === 0 ? rows[0] : undefined;
    return {
      snapshot: snapshot ? { seq: Number(snapshot.seq), state: new Uint8Array(snapshot.data) } : undefined,
      updates: rows
        .filter((row) => row.kind === 1)
        .map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.data) })),
    };
  }

  /**
   * Snapshot plus newer log entries. One statement sees one snapshot of the database: a
   * compaction committing meanwhile cannot hide entries. The snapshot row first (kind 0), then
   * the newer log entries in order.
   */
  async function readStored(client: pg.PoolClient | pg.Pool, documentId: string): Promise<StoredDocument> {
    const { rows } = await client.query<{ kind: number; seq: string; data: Buffer }>({
      name: 'nordraum_load_document',
      text: `WITH s AS (SELECT seq, state FROM doc_snapshot WHERE document_id = $1)
        SELECT 0 AS kind, seq, state AS data FROM s
        UNION ALL
        SELECT 1, seq, "update" FROM doc_update
          WHERE document_id = $1 AND seq > coalesce((SELECT seq FROM s), 0)
        ORDER BY kind, seq`,
      values: [documentId],
    });
    const snapshot = rows[0]?.kind === 0 ? rows[0] : undefined;
    const updates = rows
      .filter((row) => row.kind === 1)
      .map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.data) }));
    const snapshotSeq = snapshot ? Number(snapshot.seq) : 0;
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : undefined,
      updates,
      lastSeq: updates.at(-1)?.seq ?? snapshotSeq,
      logLength: updates.length,
    };
  }

  async function flush() {
    while (inFlight || queue.length > 0) await (inFlight ?? flushNow());
  }

  /** Snapshot plus newer log entries as one state, or undefined when the log is empty. */
  async function rebuild(client: pg.PoolClient, documentId: string) {
    const stored = await readStored(client, documentId);
    if (stored.updates.length === 0) return undefined;
    const doc = new Y.Doc();
    // Strictly for the snapshot: one that cannot be read must fail the compaction, not be replaced.
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const { update } of stored.updates) applySafely(doc, update);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return { state, seq: stored.lastSeq };
  }

  async function compact(documentId: string, from?: { state: Uint8Array; seq: number }): Promise<boolean> {
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
      const snapshot = from ?? (await rebuild(client, documentId));
      if (!snapshot) {
        await client.query('ROLLBACK');
        return true;
      }
      await client.query(
        `INSERT INTO doc_snapshot (document_id, seq, state, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, updated_at = now()
         WHERE doc_snapshot.seq < excluded.seq`,
        [documentId, snapshot.seq, bytes(snapshot.state)],
      );
      await client.query('DELETE FROM doc_update WHERE document_id = $1 AND seq <= $2', [documentId, snapshot.seq]);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function readOwners(documentId: string): Promise<Map<number, string>> {
    const { rows } = await pool.query<{ client_id: string; user_id: string }>({
      name: 'nordraum_load_clients',
      text: 'SELECT client_id, user_id FROM doc_client WHERE document_id = $1',
      values: [documentId],
    });
    return new Map(rows.map((row) => [Number(row.client_id), row.user_id]));
  }

  return {
    async load(documentId) {
      const [stored, clientOwners] = await Promise.all([readStored(pool, documentId), readOwners(documentId)]);
      return { ...stored, clientOwners };
    },
    async claimClients(documentId, clientIds, userId) {
      await pool.query({
        name: 'nordraum_claim_clients',
        text: `INSERT INTO doc_client (document_id, client_id, user_id)
          SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
        values: [documentId, clientIds, userId],
      });
    },
    compact,
    readSince: readLog,
    append(documentId, update, userId) {
      if (closed) return Promise.reject(new Error('the update log is closed'));
      return new Promise<Appended>((resolve, reject) => {
        queue.push({ documentId, update, userId, resolve, reject });
        // Let every message already read from the sockets join this batch.
        if (!inFlight && queue.length === 1) setImmediate(() => void flushNow());
      });
    },
    flush,
    async close() {
      closed = true;
      await flush();
      await writer.close();
    },
  };
}

/** Applies a document as stored (snapshot, then the newer log entries), each with `applySafely`. */
export function applyStored(doc: Y.Doc, stored: Pick<StoredDocument, 'snapshot' | 'updates'>, origin?: unknown): void {
  if (stored.snapshot) applySafely(doc, stored.snapshot, origin);
  for (const { update } of stored.updates) applySafely(doc, update, origin);
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
