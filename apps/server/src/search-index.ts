import {
  type Database,
  type DatabaseClient,
  findDocument,
  type IndexedDocument,
  listDocumentIdsOfKind,
  listMembers,
  listUnindexedDocuments,
  updateSearchEntries,
  writeSearchEntries,
} from '@nordraum/db';
import { type ContentEntry, contentEntries, documentKinds, NotesTextCache } from '@nordraum/domain';
import { type AccessEvent, applyStored, createPostgresStore } from '@nordraum/sync';
import * as Y from 'yjs';
import type { Progress } from './progress.ts';
import { RecentMap } from './recent-map.ts';

/** Reads a document's content: the sync server's `readDocument`, or the store's for the CLI. */
export type DocumentReader = <T>(documentId: string, read: (doc: Y.Doc) => T) => Promise<T>;

/**
 * What an indexer keeps between two readings of a document: the text of notes' blocks (read again
 * only where they changed) and, for the documents indexed most recently, the items it last wrote
 * (so that only items that differ are written).
 */
export interface IndexMemory {
  notes: NotesTextCache;
  written: Map<string, { entries: Map<string | null, WrittenItem>; bytes: number }>;
  /** The text the written items hold, over all documents. */
  writtenBytes: number;
  /**
   * The rows of the documents indexed most recently, so that typing does not read its document's
   * row for every reading (a query, and on a 5 MB protocol much of what a reading allocated). What
   * the index takes from them changes only with an access event, which forgets the row. The least
   * recently read go first: a document typed in all day is not forgotten for newer ones read once.
   */
  documents: RecentMap<string, IndexedDocument>;
}

/** An item as last written, and the reading that last found it (see `compareWritten`). */
interface WrittenItem {
  entry: ContentEntry;
  reading: number;
}

/** An empty {@link IndexMemory}. */
const createIndexMemory = (): IndexMemory => ({
  notes: new NotesTextCache(),
  written: new Map(),
  writtenBytes: 0,
  documents: new RecentMap(remembered.documents),
});

/** The document's row, from `memory` when it holds it; undefined for a document that is gone. */
async function documentRow(db: Database, documentId: string, memory?: IndexMemory) {
  const kept = memory?.documents.get(documentId);
  if (kept) return kept;
  const row = await findDocument(db, documentId);
  if (!row || !memory) return row;
  const { id, kind, roomId } = row;
  memory.documents.set(documentId, { id, kind, roomId });
  return row;
}

/**
 * The documents whose written items an {@link IndexMemory} keeps, the most recently indexed: more
 * than people type in at once, and not more text than a few large protocols hold. Typing is
 * indexed document after document, so with more documents typed in than are kept, each one's
 * items were forgotten before its next reading and all of them were written again, every second,
 * for each document (100 documents typed in at once did so, in `npm run bench:rounds -- --phases rss`).
 */
const remembered = { documents: 1_024, bytes: 16 * 1024 * 1024 };

/** Forgets what was written for a document. */
function forgetWritten(memory: IndexMemory, documentId: string) {
  const kept = memory.written.get(documentId);
  if (!kept) return undefined;
  memory.written.delete(documentId);
  memory.writtenBytes -= kept.bytes;
  return kept.entries;
}

/** Whether two items would be written alike. */
const sameEntry = (a: ContentEntry | undefined, b: ContentEntry) =>
  a !== undefined && a.title === b.title && a.body === b.body && a.organization === b.organization;

let readings = 0;

/**
 * What a reading changed against the items written before, and `before` brought up to it in
 * place: a reading of a protocol of thousands of passages, of which typing changed one, builds no
 * new map, set or list of them (it did, every second while people typed: most of what indexing a
 * 5 MB protocol allocated). Items not found by this reading are the removed ones.
 */
function compareWritten(before: Map<string | null, WrittenItem>, entries: ContentEntry[]) {
  const reading = ++readings;
  const changed: ContentEntry[] = [];
  let found = 0;
  for (const entry of entries) {
    const written = before.get(entry.itemId);
    if (written && written.reading !== reading) {
      written.reading = reading;
      found += 1;
    }
    if (!sameEntry(written?.entry, entry)) changed.push(entry);
  }
  const removed: string[] = [];
  if (found < before.size)
    for (const [itemId, written] of before) if (written.reading !== reading && itemId !== null) removed.push(itemId);
  return {
    changed,
    removed,
    /** Makes `before` what was written; call once the write succeeded. */
    apply() {
      for (const itemId of removed) before.delete(itemId);
      for (const entry of changed) {
        const written = before.get(entry.itemId);
        if (written) written.entry = entry;
        else before.set(entry.itemId, { entry, reading });
      }
      return before;
    },
  };
}

/**
 * Writes what a document holds now into the search index. Reads happen on the event loop (a
 * walk over the document, over its changed blocks only with `memory`), the rest in PostgreSQL.
 * With `known`, the document is not read: they are its items (worked out where it was written).
 * Returns false for a document that is gone.
 */
export async function indexDocument(
  db: Database,
  readDocument: DocumentReader,
  documentId: string,
  memory?: IndexMemory,
  known?: ContentEntry[],
): Promise<boolean> {
  const document = await documentRow(db, documentId, memory);
  if (!document) return false;
  // Owners of actions are room members: their names come from one query, not one per action.
  const names =
    document.kind === 'actions'
      ? new Map((await listMembers(db, document.roomId)).map((member) => [member.user.id, member.user.name]))
      : new Map<string, string>();
  const entries =
    known ??
    (await readDocument(documentId, (doc) =>
      contentEntries(document.kind, doc, (userId) => names.get(userId) ?? null, memory?.notes),
    ));
  // Forgotten until the write succeeded: after a failure the next one writes everything.
  const before = memory && forgetWritten(memory, documentId);
  let next: Map<string | null, WrittenItem> | undefined;
  if (before) {
    const { changed, removed, apply } = compareWritten(before, entries);
    // Typing that changed nothing the index holds (e.g. only formatting) costs no transaction.
    if (changed.length > 0 || removed.length > 0) await updateSearchEntries(db, document, changed, removed);
    next = apply();
  } else {
    await writeSearchEntries(db, document, entries);
  }
  if (memory) {
    next ??= new Map(entries.map((entry) => [entry.itemId, { entry, reading: 0 }]));
    let bytes = 0;
    for (const entry of entries) bytes += entry.title.length + entry.body.length;
    memory.written.set(documentId, { entries: next, bytes });
    memory.writtenBytes += bytes;
    while (memory.written.size > remembered.documents || memory.writtenBytes > remembered.bytes)
      forgetWritten(memory, memory.written.keys().next().value!);
  }
  return true;
}

/** Options for {@link createSearchIndexer}; defaults in parentheses. */
export interface SearchIndexerOptions {
  db: Database;
  /** Reads documents; set once the sync server exists. */
  read: () => DocumentReader;
  /**
   * Edits to a document within this many ms are indexed together (500), and a document is
   * indexed at most once in twice that while people type in it: found within 2 s. A document
   * whose indexing takes long (a protocol of several MB) waits ten times as long as it took,
   * up to 10 s, so that indexing it takes at most a tenth of the time while people type.
   */
  delayMs?: number;
  /** Whether changes are indexed at all (true); false only to measure what indexing costs. */
  enabled?: boolean;
  log: { warn(object: object, message: string): void; info(object: object, message: string): void };
}

/**
 * Keeps the search index in step with the documents, off the editing path: a change arms one
 * timer per document (at least `delayMs` after the change and twice that after the document's
 * last reading); when it fires, the document joins one queue, which indexes one document
 * at a time and lets the event loop serve sockets between two. So indexing holds at most one
 * database connection and one statement at a time however many documents change at once (50
 * protocols under typing, measured by `npm run bench:search`), and a document waiting in the
 * queue is indexed once, with what it holds by then. At start, documents never indexed yet
 * (older than the index) are caught up through the same queue.
 */
export function createSearchIndexer(options: SearchIndexerOptions) {
  const { db, log } = options;
  const delayMs = options.delayMs ?? 500;
  const enabled = options.enabled ?? true;
  const timers = new Map<string, NodeJS.Timeout>();
  // When each document was last read for the index, and how long it then waits before the next
  // reading (kept for that long).
  const intervalMs = 2 * delayMs;
  const lastRead = new Map<string, { at: number; spacing: number }>();
  const queued = new Map<string, Promise<void>>();
  const memory = createIndexMemory();
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;

  function waitBeforeReading(documentId: string): number {
    const last = lastRead.get(documentId);
    return last ? last.spacing - (performance.now() - last.at) : 0;
  }

  /** Indexes the document in `ms`, unless a timer for it is armed already. */
  function arm(documentId: string, ms: number) {
    if (stopped || timers.has(documentId)) return;
    const timer = setTimeout(() => {
      timers.delete(documentId);
      void index(documentId);
    }, ms);
    timer.unref();
    timers.set(documentId, timer);
  }

  function index(documentId: string, known?: ContentEntry[]): Promise<void> {
    const waiting = queued.get(documentId);
    if (waiting) return waiting;
    const run = tail
      .then(async () => {
        queued.delete(documentId);
        if (stopped) return;
        // A reading that ended while this one waited in the queue sets when the next may start.
        const wait = waitBeforeReading(documentId);
        if (wait > 0) return arm(documentId, wait);
        const started = performance.now();
        const last = { at: started, spacing: intervalMs };
        lastRead.set(documentId, last);
        try {
          await indexDocument(db, options.read(), documentId, memory, known);
        } finally {
          last.spacing = spacingAfter(performance.now() - started, intervalMs);
          setTimeout(() => lastRead.get(documentId) === last && lastRead.delete(documentId), last.spacing).unref();
        }
      })
      .catch((err) => log.warn({ err, documentId }, 'indexing a document for search failed'))
      // Sockets and the update log come first: the next document waits for a turn of the loop.
      .then(() => new Promise<void>((done) => setImmediate(done)));
    queued.set(documentId, run);
    tail = run;
    return run;
  }

  async function catchUp() {
    while (!stopped) {
      const ids = await listUnindexedDocuments(db, 20);
      if (ids.length === 0) return;
      await Promise.all(ids.map((id) => index(id)));
    }
  }

  return {
    /**
     * A loaded document's content changed (here or on another instance), in `transaction`: every
     * change to a loaded document must be told, or the blocks it changed would be read as before
     * (told without one, every block is read again).
     */
    changed(documentId: string, transaction?: Y.Transaction) {
      if (!enabled || stopped) return;
      memory.notes.forget(transaction);
      // Typing goes on for minutes: what it costs the database is bounded by the spacing.
      arm(documentId, Math.max(delayMs, waitBeforeReading(documentId)));
    },
    /**
     * A new document was written with its content whole, and its items are known already (an
     * import, read in the export render process): they are written in turn, without reading the document
     * on this thread (a 5 MB DOCX's protocol is a copy of 213 KiB of Yjs state, 30 to 50 ms).
     */
    written(documentId: string, entries: ContentEntry[]) {
      if (enabled && !stopped) void index(documentId, entries);
    },
    /**
     * Access changed (heard from the database, on any instance): a document moved to another room
     * or was deleted; its row is read again at its next reading.
     */
    accessChanged(event: AccessEvent) {
      if (event.kind === 'document') memory.documents.delete(event.documentId);
      else if (event.kind === 'all') memory.documents.clear();
    },
    /** Indexes documents whose content was never indexed; resolves when done (or stopped). */
    catchUp: async () => {
      if (enabled) await catchUp().catch((err) => log.warn({ err }, 'catching up the search index failed'));
    },
    /** Stops indexing; resolves once the document being indexed (if any) is written. */
    stop(): Promise<void> {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      return tail;
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;

/** The time between two readings of a document for the index, after one that took `tookMs`. */
export function spacingAfter(tookMs: number, intervalMs: number): number {
  return Math.min(10_000, Math.max(intervalMs, 10 * tookMs));
}

/**
 * Rebuilds the index from every document as stored (for `npm run cli -- search reindex`), one
 * document at a time; returns how many were indexed. Edits a running Nordraum makes meanwhile are
 * indexed by it as usual.
 */
export async function reindexSearch(client: DatabaseClient, progress: Progress): Promise<number> {
  const store = createPostgresStore({ pool: client.pool, instanceId: 'cli-reindex', announce: false });
  const read: DocumentReader = async (documentId, reader) => {
    const doc = new Y.Doc();
    try {
      applyStored(doc, await store.load(documentId));
      return reader(doc);
    } finally {
      doc.destroy();
    }
  };
  try {
    const ids = await listDocumentIdsOfKind(client.db, [...documentKinds]);
    progress(0, ids.length);
    let done = 0;
    for (const id of ids) {
      await indexDocument(client.db, read, id);
      progress(++done, ids.length);
    }
    return ids.length;
  } finally {
    await store.close();
  }
}
