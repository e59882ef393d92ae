import {
  type Database,
  findDocument,
  type IndexedAction,
  listDocumentIdsOfKind,
  replaceActionIndex,
  updateActionIndex,
} from '@nordraum/db';
import { actionListOf } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';

/** Options for {@link createActionIndexer}. */
export interface ActionIndexerOptions {
  db: Database;
  /** Reads documents that are not loaded; set once the sync server exists. */
  sync: () => SyncServer;
  /** Changes within this many ms are indexed together (1_000). */
  delayMs?: number;
  log: { warn(object: object, message: string): void; info(object: object, message: string): void };
}

/**
 * Keeps `action_index` in step with the action lists: a few seconds after an edit to a loaded
 * document (by anyone, on any instance), its rows are replaced with what it holds then.
 */
export function createActionIndexer(options: ActionIndexerOptions) {
  const { db, log } = options;
  const delayMs = options.delayMs ?? 1_000;
  const kinds = new Map<string, string | null>();
  const timers = new Map<string, NodeJS.Timeout>();

  async function kindOf(documentId: string) {
    if (!kinds.has(documentId)) kinds.set(documentId, (await findDocument(db, documentId))?.kind ?? null);
    return kinds.get(documentId);
  }

  /**
   * What this instance last wrote per document (item id → row as JSON), to write only changes;
   * for the lists edited most recently only, so memory stays bounded.
   */
  const written = new Map<string, Map<string, string>>();
  const rememberedLists = 20;
  /** The indexing of a document in flight: runs for one document never overlap. */
  const running = new Map<string, Promise<void>>();

  function rowsOf(documentId: string): Promise<IndexedAction[]> {
    return options.sync().readDocument(documentId, (doc) =>
      actionListOf(doc)
        .items()
        .map((item) => ({
          itemId: item.id,
          title: item.title,
          ownerId: item.ownerId,
          organization: item.organization,
          due: item.due,
          status: item.status,
          milestoneId: item.milestoneId,
        })),
    );
  }

  /**
   * Brings a document's rows up to date. The first time all of them (replacing whatever is
   * there); after that only rows that changed since, so one edit in a list of a thousand
   * actions writes one row instead of rebuilding a thousand on the event loop.
   */
  function index(documentId: string, full = false): Promise<void> {
    const run = (running.get(documentId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => write(documentId, full));
    running.set(documentId, run);
    void run
      .finally(() => {
        if (running.get(documentId) === run) running.delete(documentId);
      })
      .catch(() => undefined);
    return run;
  }

  async function write(documentId: string, full: boolean) {
    const rows = await rowsOf(documentId);
    const next = new Map(rows.map((row) => [row.itemId, JSON.stringify(row)]));
    const before = full ? undefined : written.get(documentId);
    // Forgotten until the write succeeded: after a failure the next run replaces everything.
    written.delete(documentId);
    if (before) {
      const changed = rows.filter((row) => before.get(row.itemId) !== next.get(row.itemId));
      const removed = [...before.keys()].filter((itemId) => !next.has(itemId));
      await updateActionIndex(db, documentId, changed, removed);
    } else {
      await replaceActionIndex(db, documentId, rows);
    }
    written.set(documentId, next);
    if (written.size > rememberedLists) written.delete(written.keys().next().value!);
  }

  return {
    /** A loaded document changed; index it soon if it is an action list. */
    changed(documentId: string) {
      // A document's kind never changes: one known not to be an action list needs no timer (under
      // typing that was a wakeup of the process per document and second, for nothing).
      if (timers.has(documentId) || (kinds.has(documentId) && kinds.get(documentId) !== 'actions')) return;
      const timer = setTimeout(() => {
        timers.delete(documentId);
        kindOf(documentId)
          // Read the state when indexing, not when told: the document may have unloaded meanwhile.
          .then(async (kind) => {
            if (kind === 'actions') await index(documentId);
          })
          .catch((err) => log.warn({ err, documentId }, 'indexing an action list failed'));
      }, delayMs);
      timer.unref();
      timers.set(documentId, timer);
    },
    /** Rebuilds the whole index from the documents; returns how many lists were indexed. */
    async rebuild(): Promise<number> {
      const ids = await listDocumentIdsOfKind(db, ['actions']);
      for (const documentId of ids) await index(documentId, true);
      log.info({ lists: ids.length }, 'action index rebuilt');
      return ids.length;
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type ActionIndexer = ReturnType<typeof createActionIndexer>;
