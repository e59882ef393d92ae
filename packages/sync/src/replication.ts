import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwareness } from './awareness.ts';
import type { CommittedUpdate, Peer, SharedDocument } from './document.ts';
import type { DocumentAnnouncement, Fanout } from './fanout.ts';
import type { SyncMetrics } from './metrics.ts';
import { encodeAwarenessMessage, encodeUpdateMessage, isEmptyUpdate } from './protocol.ts';
import type { Registry } from './registry.ts';
import type { SyncSettings } from './settings.ts';
import type { DocumentStore } from './store.ts';
import type { SyncLog } from './sync-log.ts';
import { applySafely } from './yjs-state.ts';

/**
 * Keeps loaded documents equal to the log when several instances append to it.
 *
 * Invariants:
 * - A committed entry is applied here once it is durable: our own commits when `append` answers,
 *   another instance's when its announcement arrives (inline), or by reading the log.
 * - A gap (an entry applied beyond one missing) that does not close within `gapRepairMs` is
 *   filled from the log; so is a document whose announcement arrived while it was loading, and
 *   every loaded document after the listener reconnected (announcements may have been missed).
 * - A repair that fails is logged and left as a gap: the next announcement or repair closes it.
 * - Presence of our clients goes out to the other instances; theirs is applied here, and the
 *   Yjs client ids in it are remembered as their users', so nobody here can take them over.
 */

/** Options for {@link createReplication}. */
export interface ReplicationOptions {
  registry: Registry;
  store: DocumentStore;
  fanout: Fanout | undefined;
  instanceId: string;
  settings: Pick<SyncSettings, 'gapRepairMs'>;
  metrics: SyncMetrics;
  log: SyncLog;
  /** Whether an awareness change came from one of our own connections (else from another instance). */
  isLocal(origin: unknown): origin is Peer;
}

/** Creates the replication of loaded documents between instances. */
export function createReplication(options: ReplicationOptions) {
  const { registry, store, fanout, metrics, log } = options;
  const gapTimers = new Map<string, NodeJS.Timeout>();
  /**
   * The highest log position announced by another instance for a document still loading here.
   * The load may have read the log before that commit: once loaded, a document behind it is
   * repaired from the log (the announcement itself found no document to apply to).
   */
  const announcedWhileLoading = new Map<string, number>();

  /** Applies committed entries (in log order) and watches for a gap they leave. */
  function applyCommitted(document: SharedDocument, entries: readonly CommittedUpdate[]) {
    document.applyCommitted(entries);
    watchGap(document);
  }

  /** A gap that does not close by itself (a missed announcement) is filled from the log. */
  function watchGap(document: SharedDocument) {
    if (!document.log.hasGap || gapTimers.has(document.id)) return;
    const timer = setTimeout(() => {
      gapTimers.delete(document.id);
      if (document.log.hasGap) void repair(document);
    }, options.settings.gapRepairMs);
    timer.unref();
    gapTimers.set(document.id, timer);
  }

  /** Reads what the log has beyond the document's position and applies it; logs a failure. */
  async function repair(document: SharedDocument): Promise<void> {
    try {
      await repairFromLog(document);
    } catch (error) {
      log.warn({ err: error, documentId: document.id }, 'repair from the log failed');
    }
  }

  async function repairFromLog(document: SharedDocument) {
    const { snapshot, updates: entries } = await store.readSince(document.id, document.log.lastSeq);
    if (snapshot && snapshot.seq > document.log.lastSeq) {
      // Entries after ours were compacted away (here or on another instance) before we read
      // them: merge the snapshot, which holds them, and send the peers what it added.
      const before = Y.encodeStateVector(document.doc);
      if (!applySafely(document.doc, snapshot.state, null)) {
        // Left as a gap: a compaction then rebuilds from the stored state instead of from memory.
        log.warn({ documentId: document.id }, 'a stored snapshot could not be applied during repair');
        return;
      }
      const added = Y.encodeStateAsUpdate(document.doc, before);
      if (!isEmptyUpdate(added)) document.broadcast(encodeUpdateMessage(added), null);
      document.log.applied(document.log.lastSeq + 1, snapshot.seq);
    }
    const missing = entries.filter(({ seq }) => !document.log.has(seq));
    document.applyCommitted(missing.map(({ seq, update }) => ({ seq, update, origin: null })));
  }

  function onAnnouncement(announcement: DocumentAnnouncement) {
    if (announcement.instanceId === options.instanceId) return;
    const { documentId } = announcement;
    const document = registry.loaded(documentId);
    if (!document) {
      if (registry.isLoading(documentId)) {
        const seen = announcedWhileLoading.get(documentId) ?? 0;
        announcedWhileLoading.set(documentId, Math.max(seen, announcement.lastSeq));
      }
      return;
    }
    metrics.notifyLagSeconds.observe(Math.max(0, Date.now() - announcement.committedAt) / 1000);
    metrics.updatesFromOtherInstances += 1;
    const first = announcement.lastSeq - announcement.count + 1;
    // Counted only: the next commit here, or the unload, compacts.
    document.log.grew(announcement.count);
    if (announcement.updates && document.log.continues(first))
      applyCommitted(
        document,
        announcement.updates.map((update, index) => ({ update, seq: first + index, origin: null })),
      );
    else void repair(document);
  }

  function onRemoteAwareness(documentId: string, update: Uint8Array) {
    const document = registry.loaded(documentId);
    if (!document) return;
    try {
      // The other instance stamped the user from its session; remember who owns these client ids.
      for (const entry of decodeAwareness(update, Number.POSITIVE_INFINITY)) {
        const userId = (entry.state?.user as { id?: unknown } | undefined)?.id;
        if (typeof userId === 'string' && !document.clientOwners.has(entry.clientId))
          document.clientOwners.set(entry.clientId, userId);
      }
      applyAwarenessUpdate(document.awareness, update, 'remote-instance');
    } catch (error) {
      log.warn({ err: error }, 'awareness from another instance does not decode');
    }
  }

  fanout?.onAnnouncement(onAnnouncement);
  fanout?.onAwareness(onRemoteAwareness);

  return {
    applyCommitted,
    /** Repairs every loaded document from the log (after announcements may have been missed). */
    repairAll() {
      for (const document of registry.all()) void repair(document);
    },
    /** Wires a freshly loaded document: presence to peers and instances, a repair if it is behind. */
    loaded(document: SharedDocument) {
      document.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
        const changed = [...added!, ...updated!, ...removed!];
        if (changed.length === 0) return;
        const update = encodeAwarenessUpdate(document.awareness, changed);
        const local = options.isLocal(origin);
        document.broadcast(encodeAwarenessMessage(update), local ? origin : null);
        // Changes made by our own clients travel to the other instances; theirs came from there.
        if (local) fanout?.publishAwareness(document.id, update);
      });
      const announced = announcedWhileLoading.get(document.id);
      announcedWhileLoading.delete(document.id);
      if (announced !== undefined && announced > document.log.lastSeq) void repair(document);
    },
    /** Forgets a document that left memory (or failed to load). */
    forgotten(documentId: string) {
      clearTimeout(gapTimers.get(documentId));
      gapTimers.delete(documentId);
      announcedWhileLoading.delete(documentId);
    },
  };
}

/** The replication of loaded documents between instances. */
export type Replication = ReturnType<typeof createReplication>;
