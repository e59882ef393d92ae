import pg from 'pg';
import { appendBatchQuery, appendOneQuery, type PendingAppend } from './store-queries.ts';

/**
 * Group commit of the update log: whatever arrives while a commit is in flight goes into the
 * next one, a single round trip on a connection of its own. No fixed sleep. A batch of one update
 * that nobody needs to hear of (`announce: false`, the usual batch under typing) takes a plain
 * statement instead: the same rows, at about two thirds of PostgreSQL's CPU and less of ours.
 */

/** A durable append: where it landed in the document's log. */
export interface Appended {
  seq: number;
}

/** The document of an append was deleted: the update cannot be stored, and never will be. */
export class DocumentGoneError extends Error {
  readonly documentId: string;

  constructor(documentId: string) {
    super('document no longer exists');
    this.name = 'DocumentGoneError';
    this.documentId = documentId;
  }
}

interface Pending extends PendingAppend {
  resolve: (appended: Appended) => void;
  reject: (error: Error) => void;
}

/**
 * At most this many updates of one document per batch. nordraum_append inlines a document's
 * updates when their bytes fit `maxInlineBytes`, but the payload is base64 plus a comma each, and
 * for tiny updates that is up to five times the bytes: a thousand 4-byte updates in one batch
 * made PostgreSQL refuse the NOTIFY and roll back the whole batch, everyone's updates in it. With
 * at most 300 per document the inlined text stays under 4/3 x 5,000 + 300 x 4 characters (about
 * 7,900 with the header), inside the limit. More wait for the next batch, in order.
 */
const maxPerDocument = 300;

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

/** Options for {@link createAppendLog}. */
export interface AppendLogOptions {
  pool: pg.Pool;
  instanceId: string;
  /** Whether commits announce themselves (NOTIFY nordraum_doc); see `PostgresStoreOptions`. */
  announce: boolean;
  /** Observes the duration of each batch commit, in seconds. */
  onBatch?: (seconds: number, size: number) => void;
}

/** The batching append path of the update log. */
export function createAppendLog(options: AppendLogOptions) {
  const { instanceId, announce } = options;
  const writer = appendConnection(options.pool, `nordraum-append-${instanceId}`);
  let queue: Pending[] = [];
  let inFlight: Promise<void> | undefined;
  let closed = false;

  async function commit(batch: Pending[]) {
    const started = performance.now();
    const { rows } = await writer.query<{ document_id: string; last_seq: string }>(
      batch.length === 1 && !announce ? appendOneQuery(batch[0]!) : appendBatchQuery(instanceId, batch, announce),
    );
    options.onBatch?.((performance.now() - started) / 1000, batch.length);
    const last = new Map(rows.map((row) => [row.document_id, Number(row.last_seq)]));
    // Entries of one document took consecutive seqs, in batch order, ending at its last_seq.
    const remaining = new Map<string, number>();
    for (const entry of batch) remaining.set(entry.documentId, (remaining.get(entry.documentId) ?? 0) + 1);
    for (const entry of batch) {
      const end = last.get(entry.documentId);
      if (end === undefined) {
        entry.reject(new DocumentGoneError(entry.documentId));
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

  async function flush() {
    while (inFlight || queue.length > 0) await (inFlight ?? flushNow());
  }

  return {
    /** Queues an update for the next commit; resolves once it is durable. */
    append(documentId: string, update: Uint8Array, userId: string | null): Promise<Appended> {
      if (closed) return Promise.reject(new Error('the update log is closed'));
      return new Promise<Appended>((resolve, reject) => {
        queue.push({ documentId, update, userId, resolve, reject });
        // Let every message already read from the sockets join this batch.
        if (!inFlight && queue.length === 1) setImmediate(() => void flushNow());
      });
    },
    /** Resolves when everything appended so far is committed (or failed). */
    flush,
    /** Flushes, then closes the connection; later appends fail. */
    async close() {
      closed = true;
      await flush();
      await writer.close();
    },
  };
}
