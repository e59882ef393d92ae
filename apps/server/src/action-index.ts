import { type Database, findDocument, listDocumentIdsOfKind, replaceActionIndex } from '@nordraum/db';
import { actionListOf } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import type * as Y from 'yjs';

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

  async function index(documentId: string, doc: Y.Doc) {
    const items = actionListOf(doc).items();
    await replaceActionIndex(
      db,
      documentId,
      items.map((item) => ({
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

  return {
    /** A loaded document changed; index it soon if it is an action list. */
    changed(documentId: string) {
      if (timers.has(documentId)) return;
      const timer = setTimeout(() => {
        timers.delete(documentId);
        kindOf(documentId)
          // Read the state when indexing, not when told: the document may have unloaded meanwhile.
          .then(async (kind) => {
            if (kind !== 'actions') return;
            const doc = await options.sync().documentState(documentId);
            await index(documentId, doc);
            doc.destroy();
          })
          .catch((err) => log.warn({ err, documentId }, 'indexing an action list failed'));
      }, delayMs);
      timer.unref();
      timers.set(documentId, timer);
    },
    /** Rebuilds the whole index from the documents; returns how many lists were indexed. */
    async rebuild(): Promise<number> {
      const ids = await listDocumentIdsOfKind(db, ['actions']);
      for (const documentId of ids) {
        const doc = await options.sync().documentState(documentId);
        await index(documentId, doc);
        doc.destroy();
      }
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
