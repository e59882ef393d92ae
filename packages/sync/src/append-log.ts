import pg from 'pg';
import { appendBatchQuery, appendOneStatement, bytes, type PendingAppend } from './store-queries.ts';

/**
 * Group commit of the update log: whatever arrives while the commits are in flight goes into the
 * next one, a single round trip on a connection of its own. No fixed sleep. A batch of one update
 * that nobody needs to hear of (`announce: false`, the usual batch under typing) takes a plain
 * statement instead: the same rows, at about two thirds of PostgreSQL's CPU and less of ours.
 *
 * The next batch is sent as soon as the answer of the one before arrives, before that one's
 * entries are applied and sent to the peers: the commit overlaps the broadcast instead of
 * following it. Optionally (`maxInFlight` 2) a second batch commits while the first does, on a
 * connection of its own; it waits only for the row locks of the documents the two share. Not the
 * default: on two cores shared with PostgreSQL the smaller batches cost about a fifth more CPU per
 * edit at 4,000-5,000 edits/s, and the second batch nearly always shares a document with the
 * first, so it waits for that commit anyway (`scripts/bench/append-log.ts` measures both).
 * Invariants:
 * - Per document, sequence numbers follow the order the batches took the document's row lock,
 *   which is the order they were started (nordraum_append locks its documents in one order, so
 *   two batches never wait for each other in a cycle).
 * - A batch's entries are resolved (and so applied and sent) only after its own commit, and only
 *   after every batch started before it has been resolved or rejected: entries come out in the
 *   order they were queued, and for one document in log order, whichever answer arrives first.
 * - A batch that fails rejects its own entries only; the other batch commits or fails on its own.
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

/** Batches committing at once, each on a connection of its own (opened when first needed). */
export const defaultMaxInFlight = 1;

/** A row of the append statements: a document's last seq after the append. */
interface AppendRow {
  document_id: string;
  last_seq: string;
}

/**
 * pg's connection as a submittable query sees it: the message methods pg-cursor and pg-query-stream
 * use (each serialised by pg-protocol), and the socket to cork them into one write.
 */
interface ProtocolConnection {
  stream: { cork?(): void; uncork?(): void };
  parse(query: { name: string; text: string }): void;
  bind(config: { statement: string; values: (string | Buffer | null)[] }): void;
  execute(config?: object): void;
  sync(): void;
}

/**
 * Connections on which `nordraum_append_one` is prepared. A failed append ends its connection
 * (see `appendConnection`), so a Parse that failed is never taken for a prepared statement.
 */
const preparedOn = new WeakSet<object>();

/**
 * One unannounced update appended through pg's submittable interface: Parse (once per
 * connection), Bind, Execute and Sync in one socket write, no Describe. Under typing every edit is
 * a commit of its own, and pg's query path allocated a query, a cloned config and a result with
 * type parsers per commit, and sent a Describe whose row description it then parsed: about a
 * sixth of the main thread's busy time at small load. The rows arrive as text without a
 * description.
 */
class AppendOne implements pg.Submittable {
  readonly #entry: PendingAppend;
  readonly #rows: AppendRow[] = [];
  readonly #resolve: (result: { rows: AppendRow[] }) => void;
  readonly #reject: (error: Error) => void;
  readonly done: Promise<{ rows: AppendRow[] }>;

  constructor(entry: PendingAppend) {
    this.#entry = entry;
    const { promise, resolve, reject } = Promise.withResolvers<{ rows: AppendRow[] }>();
    this.done = promise;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  submit(connection: unknown) {
    const wire = connection as ProtocolConnection;
    const { name, text } = appendOneStatement;
    wire.stream.cork?.();
    try {
      if (!preparedOn.has(wire)) {
        wire.parse({ name, text });
        preparedOn.add(wire);
      }
      const { documentId, update, userId } = this.#entry;
      wire.bind({ statement: name, values: [documentId, bytes(update), userId] });
      wire.execute();
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
  }

  handleDataRow(message: { fields: (string | null)[] }) {
    this.#rows.push({ document_id: message.fields[0]!, last_seq: message.fields[1]! });
  }

  handleReadyForQuery() {
    this.#resolve({ rows: this.#rows });
  }

  /** pg calls this for an error of the statement, and for the connection's (then without ReadyForQuery). */
  handleError(error: Error) {
    this.#reject(error);
  }

  handleRowDescription() {}
  handleCommandComplete() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
  handleCopyInResponse(connection: unknown) {
    (connection as { sendCopyFail(message: string): void }).sendCopyFail('not a copy');
  }
}

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
    async query(query: pg.QueryConfig | AppendOne): Promise<{ rows: AppendRow[] }> {
      current ??= open();
      const used = current;
      const client = await used;
      try {
        if (query instanceof AppendOne) {
          client.query(query);
          return await query.done;
        }
        return await client.query<AppendRow>(query);
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
  /**
   * Observes each batch commit: its duration in seconds, its updates, and whether it started
   * while another batch was still committing.
   */
  onBatch?: (seconds: number, size: number, overlapped: boolean) => void;
  /** Batches committing at once (default {@link defaultMaxInFlight}: one after the other). */
  maxInFlight?: number;
}

/** The batching append path of the update log. */
export function createAppendLog(options: AppendLogOptions) {
  const { instanceId, announce, maxInFlight = defaultMaxInFlight } = options;
  // The first is used whenever it is free: a second connection opens only under load. Named
  // apart, so that an operator (or a test) can tell which is which in pg_stat_activity.
  const writers = Array.from({ length: maxInFlight }, (_, index) =>
    appendConnection(
      options.pool,
      index === 0 ? `nordraum-append-${instanceId}` : `nordraum-append-${instanceId}-${index}`,
    ),
  );
  const busy = writers.map(() => false);
  let inFlight = 0;
  let queue: Pending[] = [];
  /** Settles once the latest batch started has been resolved or rejected (and every one before it). */
  let settled: Promise<void> = Promise.resolve();
  let closed = false;

  /** Which entry of the batch got which seq (or none: its document is gone). */
  async function store(writer: (typeof writers)[number], batch: Pending[], overlapped: boolean) {
    const started = performance.now();
    const { rows } = await writer.query(
      batch.length === 1 && !announce ? new AppendOne(batch[0]!) : appendBatchQuery(instanceId, batch, announce),
    );
    options.onBatch?.((performance.now() - started) / 1000, batch.length, overlapped);
    return new Map(rows.map((row) => [row.document_id, Number(row.last_seq)]));
  }

  function resolveBatch(batch: Pending[], last: Map<string, number>) {
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

  /** Starts batches while the queue has entries and a connection is free. */
  function flushNow() {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const slot = busy.indexOf(false);
      const batch = nextBatch();
      busy[slot] = true;
      inFlight += 1;
      const committed = store(writers[slot]!, batch, inFlight > 1);
      const before = settled;
      settled = (async () => {
        // The answer is taken as soon as it arrives (the connection is free again), but handed
        // on only after the batch before it: its commit held the row locks this one waited for.
        const outcome = await committed.then(
          (last) => ({ last }),
          (error: Error) => ({ error }),
        );
        busy[slot] = false;
        inFlight -= 1;
        if (queue.length > 0) flushNow();
        await before;
        if ('error' in outcome) for (const entry of batch) entry.reject(outcome.error);
        else resolveBatch(batch, outcome.last);
      })();
    }
  }

  async function flush() {
    while (inFlight > 0 || queue.length > 0) {
      flushNow();
      // Settles after every batch started so far; those queued meanwhile start as slots free.
      await settled;
    }
    await settled;
  }

  return {
    /** Queues an update for the next commit; resolves once it is durable. */
    append(documentId: string, update: Uint8Array, userId: string | null): Promise<Appended> {
      if (closed) return Promise.reject(new Error('the update log is closed'));
      return new Promise<Appended>((resolve, reject) => {
        queue.push({ documentId, update, userId, resolve, reject });
        // Let every message already read from the sockets join this batch.
        if (inFlight < maxInFlight && queue.length === 1) setImmediate(flushNow);
      });
    },
    /** Resolves when everything appended so far is committed (or failed). */
    flush,
    /** Flushes, then closes the connections; later appends fail. */
    async close() {
      closed = true;
      await flush();
      await Promise.all(writers.map((writer) => writer.close()));
    },
  };
}
