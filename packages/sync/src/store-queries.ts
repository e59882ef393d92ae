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
 * the same columns; no row when the document no longer exists. Prepared once per connection;
 * sent as {@link encodeAppendOne} makes it.
 */
export const appendOneStatement = {
  name: 'nordraum_append_one',
  text: `WITH d AS (
      UPDATE "document" SET update_seq = update_seq + 1, updated_at = now() WHERE id = $1 RETURNING id, update_seq
    )
    INSERT INTO doc_update (document_id, seq, "update", user_id) SELECT d.id, d.update_seq, $2, $3 FROM d
    RETURNING document_id, seq AS last_seq`,
} as const;

/**
 * {@link appendOneStatement} for one update as the bytes of PostgreSQL's extended query protocol,
 * in one buffer for one socket write: Parse (with `parse`, the first time on a connection), Bind,
 * Execute, Sync. No Describe: the answer is the same rows (text columns `document_id`,
 * `last_seq`) without a row description, which the database then does not build and the client
 * does not parse. pg's own path also sends the Describe, and allocates a query, a cloned config
 * and a result with its type parsers for every commit; under typing, at one commit per edit, its
 * query path was about a sixth of the main thread's busy time. Parameters: the document id and
 * the user id as text, the update as binary.
 */
export function encodeAppendOne(entry: PendingAppend, parse: boolean): Buffer {
  const { name, text } = appendOneStatement;
  const nameBytes = Buffer.byteLength(name);
  const textBytes = Buffer.byteLength(text);
  const documentBytes = Buffer.byteLength(entry.documentId);
  const userBytes = entry.userId === null ? -1 : Buffer.byteLength(entry.userId);
  const parseLength = parse ? 1 + 4 + nameBytes + 1 + textBytes + 1 + 2 : 0;
  const bindBody = 4 + 1 + nameBytes + 1 + 2 + 3 * 2 + 2 + (4 + documentBytes) + (4 + entry.update.byteLength) + 4;
  const bindLength = 1 + bindBody + Math.max(0, userBytes) + 2;
  const buffer = Buffer.allocUnsafe(parseLength + bindLength + executeSync.byteLength);
  let at = 0;
  if (parse) {
    at = buffer.writeUInt8(0x50, at); // 'P'
    at = buffer.writeInt32BE(parseLength - 1, at);
    at += buffer.write(name, at);
    at = buffer.writeUInt8(0, at);
    at += buffer.write(text, at);
    at = buffer.writeUInt8(0, at);
    at = buffer.writeInt16BE(0, at); // parameter types: inferred
  }
  at = buffer.writeUInt8(0x42, at); // 'B'
  at = buffer.writeInt32BE(bindLength - 1, at);
  at = buffer.writeUInt8(0, at); // unnamed portal
  at += buffer.write(name, at);
  at = buffer.writeUInt8(0, at);
  at = buffer.writeInt16BE(3, at); // parameter formats: text, binary, text
  at = buffer.writeInt16BE(0, at);
  at = buffer.writeInt16BE(1, at);
  at = buffer.writeInt16BE(0, at);
  at = buffer.writeInt16BE(3, at);
  at = buffer.writeInt32BE(documentBytes, at);
  at += buffer.write(entry.documentId, at);
  at = buffer.writeInt32BE(entry.update.byteLength, at);
  buffer.set(entry.update, at);
  at += entry.update.byteLength;
  at = buffer.writeInt32BE(userBytes, at);
  if (entry.userId !== null) at += buffer.write(entry.userId, at);
  at = buffer.writeInt16BE(0, at); // result formats: all text
  executeSync.copy(buffer, at);
  return buffer;
}

/** Execute of the unnamed portal (all rows), then Sync: the same bytes for every append. */
const executeSync = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0x53, 0, 0, 0, 4]);

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
