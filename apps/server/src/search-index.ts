import {
  type Database,
  type DatabaseClient,
  findDocument,
  listDocumentIdsOfKind,
  listMembers,
  listUnindexedDocuments,
  writeSearchEntries,
} from '@nordraum/db';
import { contentEntries, documentKinds } from '@nordraum/domain';
import { applyStored, createPostgresStore } from '@nordraum/sync';
import * as Y from 'yjs';
import type { Progress } from './progress.ts';

/** Reads a document's content: the sync server's `readDocument`, or the store's for the CLI. */
export type DocumentReader = <T>(documentId: string, read: (doc: Y.Doc) => T) => Promise<T>;

/**
 * Writes what a document holds now into the search index. Reads happen on the event loop (a
 * walk over the document), the rest in PostgreSQL. Returns false for a document that is gone.
 */
export async function indexDocument(db: Database, readDocument: DocumentReader, documentId: string): Promise<boolean> {
  const document = await findDocument(db, documentId);
  if (!document) return false;
  // Owners of actions are room members: their names come from one query, not one per action.
  const names =
    document.kind === 'actions'
      ? new Map((await listMembers(db, document.roomId)).map((member) => [member.user.id, member.user.name]))
      : new Map<string, string>();
  const entries = await readDocument(documentId, (doc) =>
    contentEntries(document.kind, doc, (userId) => names.get(userId) ?? null),
  );
  await writeSearchEntries(db, document, entries);
  return true;
}

/** Options for {@link createSearchIndexer}; defaults in parentheses. */
export interface SearchIndexerOptions {
  db: Database;
  /** Reads documents; set once the sync server exists. */
  read: () => DocumentReader;
  /**
   * Edits to a document within this many ms are indexed together (500), and a document is
   * indexed at most once in twice that while people type in it: found within 2 s.
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
  // When each document was last read for the index (kept for one interval).
  const intervalMs = 2 * delayMs;
  const lastRead = new Map<string, number>();
  const queued = new Map<string, Promise<void>>();
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;

  function index(documentId: string): Promise<void> {
    const waiting = queued.get(documentId);
    if (waiting) return waiting;
    const run = tail
      .then(async () => {
        queued.delete(documentId);
        if (stopped) return;
        const now = performance.now();
        lastRead.set(documentId, now);
        setTimeout(() => lastRead.get(documentId) === now && lastRead.delete(documentId), intervalMs).unref();
        await indexDocument(db, options.read(), documentId);
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
      await Promise.all(ids.map(index));
    }
  }

  return {
    /** A loaded document's content changed (here or on another instance). */
    changed(documentId: string) {
      if (!enabled || stopped || timers.has(documentId)) return;
      // Typing goes on for minutes: what it costs the database is bounded by the interval.
      const since = performance.now() - (lastRead.get(documentId) ?? Number.NEGATIVE_INFINITY);
      const timer = setTimeout(
        () => {
          timers.delete(documentId);
          void index(documentId);
        },
        Math.max(delayMs, intervalMs - since),
      );
      timer.unref();
      timers.set(documentId, timer);
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
