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
  /** Edits to a document within this many ms are indexed together (500): found within 2 s. */
  delayMs?: number;
  /** Whether changes are indexed at all (true); false only to measure what indexing costs. */
  enabled?: boolean;
  log: { warn(object: object, message: string): void; info(object: object, message: string): void };
}

/**
 * Keeps the search index in step with the documents, off the editing path: a change arms one
 * timer per document, and the document is read and written when it fires; runs for one document
 * never overlap. At start, documents never indexed yet (older than the index) are caught up in
 * the background, one at a time.
 */
export function createSearchIndexer(options: SearchIndexerOptions) {
  const { db, log } = options;
  const delayMs = options.delayMs ?? 500;
  const enabled = options.enabled ?? true;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  function index(documentId: string): Promise<void> {
    const run = (running.get(documentId) ?? Promise.resolve())
      .then(() => indexDocument(db, options.read(), documentId))
      .then(
        () => undefined,
        (err) => log.warn({ err, documentId }, 'indexing a document for search failed'),
      );
    running.set(documentId, run);
    void run.finally(() => {
      if (running.get(documentId) === run) running.delete(documentId);
    });
    return run;
  }

  async function catchUp() {
    while (!stopped) {
      const ids = await listUnindexedDocuments(db, 20);
      if (ids.length === 0) return;
      for (const id of ids) if (!stopped) await index(id);
    }
  }

  return {
    /** A loaded document's content changed (here or on another instance). */
    changed(documentId: string) {
      if (!enabled || stopped || timers.has(documentId)) return;
      const timer = setTimeout(() => {
        timers.delete(documentId);
        void index(documentId);
      }, delayMs);
      timer.unref();
      timers.set(documentId, timer);
    },
    /** Indexes documents whose content was never indexed; resolves when done (or stopped). */
    catchUp: async () => {
      if (enabled) await catchUp().catch((err) => log.warn({ err }, 'catching up the search index failed'));
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
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
