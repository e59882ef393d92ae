import type pg from 'pg';

/**
 * The statements of the update log, as query configs (named ones are prepared once per
 * connection). No I/O here: `store.ts` and `append-log.ts` run them.
 */

/** One update waiting to be appended. */
export interface PendingAppend {
  documentId: string;
  update: Uint8Array;
  userId: string | null;
}

/** NOTIFY payloads must stay under 8000 bytes; larger updates are read from the log instead. */
export const maxInlineBytes = 5_000;

/** A Uint8Array as the Buffer `pg` sends as bytea, without copying. */
export const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** `nordraum_append` (drizzle/0006) for a batch: one round trip, one implicit transaction. */
export const appendBatchQuery = (instanceId: string, batch: PendingAppend[], announce: boolean): pg.QueryConfig => ({
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
 * the same columns; no row when the document no longer exists. Prepared once per connection
 * and sent by `append-log.ts` without pg's query path.
 */
export const appendOneStatement = {
  name: 'nordraum_append_one',
  text: `WITH d AS (
      UPDATE "document" SET update_seq = update_seq + 1, updated_at = now() WHERE id = $1 RETURNING id, update_seq
    )
    INSERT INTO doc_update (document_id, seq, "update", user_id) SELECT d.id, d.update_seq, $2, $3 FROM d
    RETURNING document_id, seq AS last_seq`,
} as const;

/** A row of {@link readLogQuery}: the snapshot (kind 0) or a log entry (kind 1). */
export interface LogRow {
  kind: number;
  seq: string;
  data: Buffer;
}

/**
 * The log after `afterSeq`, with the snapshot when it covers entries after it; `afterSeq` -1
 * reads the whole document. One statement sees one snapshot of the database: a compaction
 * committing meanwhile cannot hide entries. The snapshot row first, then the entries in order.
 */
export const readLogQuery = (documentId: string, afterSeq: number): pg.QueryConfig => ({
  name: 'nordraum_read_log',
  text: `WITH s AS (SELECT seq, state FROM doc_snapshot WHERE document_id = $1 AND seq > $2)
    SELECT 0 AS kind, seq, state AS data FROM s
    UNION ALL
    SELECT 1, seq, "update" FROM doc_update
      WHERE document_id = $1 AND seq > greatest($2, coalesce((SELECT seq FROM s), 0))
    ORDER BY kind, seq`,
  values: [documentId, afterSeq],
});

/** Which user each claimed Yjs client id of a document belongs to. */
export const readOwnersQuery = (documentId: string): pg.QueryConfig => ({
  name: 'nordraum_load_clients',
  text: 'SELECT client_id, user_id FROM doc_client WHERE document_id = $1',
  values: [documentId],
});

/** Claims Yjs client ids for a user; the first claim of each stays. */
export const claimClientsQuery = (documentId: string, clientIds: number[], userId: string): pg.QueryConfig => ({
  name: 'nordraum_claim_clients',
  text: `INSERT INTO doc_client (document_id, client_id, user_id)
    SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
  values: [documentId, clientIds, userId],
});

/** Only one compaction of a document at a time, over all instances (inside the transaction). */
export const compactLockQuery = (documentId: string): pg.QueryConfig => ({
  text: "SELECT pg_try_advisory_xact_lock(hashtext('compact:' || $1::text)) AS ok",
  values: [documentId],
});

/** Writes a snapshot at `seq`; never replaces a newer one. */
export const writeSnapshotQuery = (documentId: string, seq: number, state: Uint8Array): pg.QueryConfig => ({
  text: `INSERT INTO doc_snapshot (document_id, seq, state, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, updated_at = now()
    WHERE doc_snapshot.seq < excluded.seq`,
  values: [documentId, seq, bytes(state)],
});

/** Deletes the log entries a snapshot at `seq` covers. */
export const deleteCoveredQuery = (documentId: string, seq: number): pg.QueryConfig => ({
  text: 'DELETE FROM doc_update WHERE document_id = $1 AND seq <= $2',
  values: [documentId, seq],
});
