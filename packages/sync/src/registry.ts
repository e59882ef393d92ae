import * as Y from 'yjs';
import { SharedDocument } from './document.ts';
import type { SyncMetrics } from './metrics.ts';
import type { SyncSettings } from './settings.ts';
import type { DocumentStore } from './store.ts';
import type { SyncLog } from './sync-log.ts';

/**
 * The documents held in memory: loading, unloading and compaction.
 *
 * Invariants:
 * - A document is loaded once however many connections ask for it at once (one pending load,
 *   shared); a failed load is forgotten so that the next connection tries again.
 * - A document unloads `unloadDelayMs` after its last peer left, and only after everything
 *   appended was flushed and no peer came back meanwhile; a small log is then compacted, so it
 *   loads as one snapshot next time.
 * - A loaded document is compacted when its log is long for its size (`LogPosition.compactionDue`).
 * - At most one compaction per document runs at a time; a compaction covers the log up to where it
 *   started, and is taken from memory when the document has no gap (it then is the snapshot).
 */

/** Options for {@link createRegistry}. */
export interface RegistryOptions {
  store: DocumentStore;
  settings: Pick<SyncSettings, 'unloadDelayMs' | 'compactAfter'>;
  metrics: SyncMetrics;
  log: SyncLog;
  /** Told when a document was loaded, before anyone waiting for it gets it. */
  onLoaded(document: SharedDocument): void;
  /** Told when a document left memory, or its load failed. */
  onForgotten(documentId: string): void;
  /** Told after committed content changed a loaded document, with the transaction that changed it. */
  onChange?: (documentId: string, transaction: Y.Transaction) => void;
  /** Told when the last loaded document has unloaded. */
  onIdle?: () => void;
}

/** Creates the registry of loaded documents. */
export function createRegistry(options: RegistryOptions) {
  const { store, settings, metrics, log } = options;
  const pending = new Map<string, Promise<SharedDocument>>();
  const loaded = new Map<string, SharedDocument>();
  const unloadTimers = new Map<SharedDocument, NodeJS.Timeout>();
  const compactions = new Map<string, Promise<void>>();

  async function load(documentId: string): Promise<SharedDocument> {
    const stored = await store.load(documentId);
    const document = new SharedDocument(documentId, stored, {
      onBroadcast: (count) => {
        metrics.updatesBroadcast += count;
      },
      onChange: (transaction) => options.onChange?.(documentId, transaction),
    });
    loaded.set(documentId, document);
    metrics.documentsLoaded = loaded.size;
    options.onLoaded(document);
    return document;
  }

  function open(documentId: string): Promise<SharedDocument> {
    let loading = pending.get(documentId);
    if (!loading) {
      loading = load(documentId);
      pending.set(documentId, loading);
      loading.catch(() => {
        pending.delete(documentId);
        options.onForgotten(documentId);
      });
    }
    return loading;
  }

  /** Keeps a document loaded: someone joined it. */
  function keep(document: SharedDocument) {
    clearTimeout(unloadTimers.get(document));
    unloadTimers.delete(document);
  }

  /** Unloads a document a while from now, unless someone joins it meanwhile. */
  function release(document: SharedDocument) {
    if (document.peers.size > 0) return;
    keep(document);
    const timer = setTimeout(() => void unload(document), settings.unloadDelayMs);
    timer.unref();
    unloadTimers.set(document, timer);
  }

  async function unload(document: SharedDocument) {
    unloadTimers.delete(document);
    if (document.peers.size > 0) return;
    await store.flush();
    if (document.peers.size > 0) return;
    pending.delete(document.id);
    loaded.delete(document.id);
    metrics.documentsLoaded = loaded.size;
    options.onForgotten(document.id);
    // A small log loads faster as one snapshot next time. A compaction still running covers only
    // the log up to where it started: wait for it, then fold in the rest.
    await compactions.get(document.id);
    if (document.log.length > 0) await compact(document);
    document.destroy();
    if (loaded.size === 0) options.onIdle?.();
  }

  function compact(document: SharedDocument): Promise<void> {
    let running = compactions.get(document.id);
    if (!running) {
      running = compactNow(document).finally(() => compactions.delete(document.id));
      compactions.set(document.id, running);
    }
    return running;
  }

  async function compactNow(document: SharedDocument) {
    try {
      // Without a gap, the loaded document holds exactly the log up to lastSeq: it is the snapshot,
      // encoded in a millisecond, where rebuilding it from the log would stall every room for tens.
      const seq = document.log.lastSeq;
      const from = document.log.hasGap ? undefined : { state: Y.encodeStateAsUpdate(document.doc), seq };
      if (await store.compact(document.id, from)) {
        metrics.compactions += 1;
        document.log.compacted(from?.seq, from?.state.length);
      }
    } catch (error) {
      log.warn({ err: error, documentId: document.id }, 'compaction failed; will retry later');
    }
  }

  return {
    open,
    keep,
    release,
    /** The loaded document, if it is loaded. */
    loaded: (documentId: string) => loaded.get(documentId),
    /** Whether a document is being loaded (asked for, not loaded yet). */
    isLoading: (documentId: string) => pending.has(documentId) && !loaded.has(documentId),
    /** Every loaded document. */
    all: () => loaded.values(),
    /** Ids of the loaded documents. */
    ids: () => [...loaded.keys()],
    /** Counts entries committed here; compacts the log when it is long. */
    appended(document: SharedDocument, count: number) {
      document.log.grew(count);
      if (document.log.compactionDue(settings.compactAfter)) void compact(document);
    },
    /** Drops every document from memory (after the store was flushed). */
    clear() {
      for (const timer of unloadTimers.values()) clearTimeout(timer);
      unloadTimers.clear();
      for (const document of loaded.values()) document.destroy();
      loaded.clear();
      pending.clear();
    },
  };
}

/** The registry of loaded documents. */
export type Registry = ReturnType<typeof createRegistry>;
