import { randomBytes } from 'node:crypto';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwareness } from './awareness.ts';
import { closeCodes } from './close-codes.ts';
import { Connection, type ConnectionIdentity, type SyncSocket } from './connection.ts';
import { encodeAwarenessMessage, encodeUpdateMessage, SharedDocument } from './document.ts';
import type { AccessEvent, DocumentAnnouncement, Fanout } from './fanout.ts';
import { resolveLimits, type SyncLimits } from './limits.ts';
import { SyncMetrics } from './metrics.ts';
import { isEmptyUpdate } from './protocol.ts';
import { applySafely, applyStored, type DocumentStore, type StoredDocument } from './store.ts';
import type { ThrottleOptions } from './throttle.ts';

/**
 * The outcome of checking a connection's access again. `organization` is the user's current one
 * (a user may have moved, and organisation grants follow it).
 */
export type Access = ({ ok: true; canWrite: boolean } | { ok: false; code: 4401 | 4403 | 4404; reason: string }) & {
  organization?: { id: string; code: string };
};

/** Options for {@link createSyncServer}; defaults in parentheses. */
export interface SyncServerOptions {
  store: DocumentStore;
  /** Cross-instance announcements; absent for a single instance in tests. */
  fanout?: Fanout;
  /** Checks a connection's session and role again after an access change. */
  reauthorize(identity: ConnectionIdentity): Promise<Access>;
  instanceId?: string;
  /** How long a document stays loaded after its last connection closed (30_000 ms). */
  unloadDelayMs?: number;
  /** Log entries after which a loaded document is compacted (500). */
  compactAfter?: number;
  /** Largest awareness state of one client, in bytes (65_536). */
  maxAwarenessBytes?: number;
  /** Frames per second and burst of one connection (`limits.framesPerSecond`, `limits.burst`). */
  throttle?: ThrottleOptions;
  /** What one connection, user and address may cost; see `defaultLimits`. */
  limits?: Partial<SyncLimits>;
  /** How long a gap in the sequence may stay open before the log is read (250 ms). */
  gapRepairMs?: number;
  /** Every connection's session and role are checked again this often, for expiry (60_000 ms). */
  recheckIntervalMs?: number;
  /** Told after committed content changed a loaded document (from here or another instance). */
  onChange?: (documentId: string) => void;
  /** Told when the last loaded document has unloaded (e.g. to give memory back). */
  onIdle?: () => void;
  log: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
}

/** The sync server: documents in memory, their connections, persistence and fan-out. */
export function createSyncServer(options: SyncServerOptions) {
  const metrics = new SyncMetrics();
  const instanceId = options.instanceId ?? randomBytes(8).toString('hex');
  const unloadDelayMs = options.unloadDelayMs ?? 30_000;
  const compactAfter = options.compactAfter ?? 500;
  const gapRepairMs = options.gapRepairMs ?? 250;
  const documents = new Map<string, Promise<SharedDocument>>();
  const loaded = new Map<string, SharedDocument>();
  const connections = new Set<Connection>();
  /**
   * Counts access events. An upgrade notes it before checking; a connection whose check began
   * before the latest event may have missed it (it was not connected yet), and is checked again.
   */
  let accessEpoch = 0;
  /** Numbers every re-check, so that an answer overtaken by a newer one is not applied. */
  let checks = 0;
  /** Compactions in flight, by document id: at most one each. */
  const compactions = new Map<string, Promise<void>>();
  /**
   * The highest log position announced by another instance for a document still loading here.
   * The load may have read the log before that commit: once loaded, a document behind it is
   * repaired from the log (the announcement itself found no document to apply to).
   */
  const announcedWhileLoading = new Map<string, number>();
  const { store, log } = options;
  const limits = resolveLimits(options.limits);

  /** Reads a document as stored through a copy made for the read, for a reader while it is not loaded. */
  function readStored<T>(stored: StoredDocument, read: (doc: Y.Doc) => T): T {
    const copy = new Y.Doc();
    try {
      applyStored(copy, stored);
      return read(copy);
    } finally {
      copy.destroy();
    }
  }

  const hub = {
    metrics,
    maxAwarenessBytes: options.maxAwarenessBytes ?? 65_536,
    throttle: options.throttle ?? { perSecond: limits.framesPerSecond, burst: limits.burst },
    limits,
    log,
    claim(document: SharedDocument, clientIds: number[], userId: string) {
      store.claimClients(document.id, clientIds, userId).catch((error: Error) => {
        log.warn({ err: error, documentId: document.id }, 'recording the owner of a client id failed');
      });
    },
    submit(document: SharedDocument, update: Uint8Array, from: Connection) {
      store.append(document.id, update, from.identity.userId).then(
        ({ seq }) => {
          document.logLength += 1;
          document.applyCommitted(update, { first: seq, last: seq }, from);
          watchGap(document);
          if (document.logLength >= compactAfter) void compact(document);
        },
        (error: Error) => {
          const gone = /no longer exists/.test(error.message);
          metrics.reject(gone ? 'document_gone' : 'persistence_failed');
          if (!gone) log.error({ err: error, documentId: document.id }, 'storing an update failed');
          // The client still has the edit; it sends it again after reconnecting.
          from.close(
            gone ? closeCodes.notFound : closeCodes.internalError,
            gone ? 'document deleted' : 'update could not be stored',
          );
        },
      );
    },
  };

  async function load(documentId: string): Promise<SharedDocument> {
    const stored = await store.load(documentId);
    const document = new SharedDocument(documentId, stored);
    document.onBroadcast = (count) => {
      metrics.updatesBroadcast += count;
    };
    document.onChange = () => options.onChange?.(documentId);
    document.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      if (changed.length === 0) return;
      const update = encodeAwarenessUpdate(document.awareness, changed);
      document.broadcast(encodeAwarenessMessage(update), origin instanceof Connection ? origin : null);
      // Changes made by our own clients travel to the other instances; theirs came from there.
      if (origin instanceof Connection) options.fanout?.publishAwareness(document.id, update);
    });
    loaded.set(documentId, document);
    metrics.documentsLoaded = loaded.size;
    const announced = announcedWhileLoading.get(documentId);
    announcedWhileLoading.delete(documentId);
    if (announced !== undefined && announced > document.lastSeq)
      void repair(document).catch((error) => log.warn({ err: error }, 'repair from the log failed'));
    return document;
  }

  function documentFor(documentId: string): Promise<SharedDocument> {
    let pending = documents.get(documentId);
    if (!pending) {
      pending = load(documentId);
      documents.set(documentId, pending);
      pending.catch(() => {
        documents.delete(documentId);
        announcedWhileLoading.delete(documentId);
      });
    }
    return pending;
  }

  function scheduleUnload(document: SharedDocument) {
    clearTimeout(document.unloadTimer);
    document.unloadTimer = setTimeout(() => void unload(document), unloadDelayMs);
    document.unloadTimer.unref();
  }

  async function unload(document: SharedDocument) {
    if (document.peers.size > 0) return;
    await store.flush();
    if (document.peers.size > 0) return;
    documents.delete(document.id);
    loaded.delete(document.id);
    metrics.documentsLoaded = loaded.size;
    // A small log loads faster as one snapshot next time. A compaction still running covers only
    // the log up to where it started: wait for it, then fold in the rest.
    await compactions.get(document.id);
    if (document.logLength > 0) await compact(document);
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
      const seq = document.lastSeq;
      const from = document.ahead.size === 0 ? { state: Y.encodeStateAsUpdate(document.doc), seq } : undefined;
      if (await store.compact(document.id, from)) {
        metrics.compactions += 1;
        document.logLength = from ? document.lastSeq - seq : 0;
      }
    } catch (error) {
      log.warn({ err: error, documentId: document.id }, 'compaction failed; will retry later');
    }
  }

  /** A gap that does not close by itself (a missed announcement) is filled from the log. */
  function watchGap(document: SharedDocument) {
    if (document.ahead.size === 0 || document.gapTimer) return;
    document.gapTimer = setTimeout(() => {
      document.gapTimer = undefined;
      if (document.ahead.size > 0) void repair(document);
    }, gapRepairMs);
    document.gapTimer.unref();
  }

  async function repair(document: SharedDocument) {
    const { snapshot, updates: entries } = await store.readSince(document.id, document.lastSeq);
    if (snapshot && snapshot.seq > document.lastSeq) {
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
      document.markApplied(document.lastSeq + 1, snapshot.seq);
    }
    for (const { seq, update } of entries) {
      if (seq > document.lastSeq && !document.ahead.has(seq))
        document.applyCommitted(update, { first: seq, last: seq }, null);
      else document.markApplied(seq, seq);
    }
  }

  function onAnnouncement(announcement: DocumentAnnouncement) {
    if (announcement.instanceId === instanceId) return;
    const document = loaded.get(announcement.documentId);
    if (!document) {
      if (documents.has(announcement.documentId)) {
        const seen = announcedWhileLoading.get(announcement.documentId) ?? 0;
        announcedWhileLoading.set(announcement.documentId, Math.max(seen, announcement.lastSeq));
      }
      return;
    }
    metrics.notifyLagSeconds.observe(Math.max(0, Date.now() - announcement.committedAt) / 1000);
    metrics.updatesFromOtherInstances += 1;
    const first = announcement.lastSeq - announcement.count + 1;
    document.logLength += announcement.count;
    if (announcement.updates && first <= document.lastSeq + 1) {
      announcement.updates.forEach((update, index) => {
        document.applyCommitted(update, { first: first + index, last: first + index }, null);
      });
    } else {
      void repair(document).catch((error) => log.warn({ err: error }, 'repair from the log failed'));
    }
  }

  function onRemoteAwareness(documentId: string, update: Uint8Array) {
    const document = loaded.get(documentId);
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

  async function onAccessEvent(event: AccessEvent) {
    accessEpoch += 1;
    // The connections of one session to one document get the same answer: ask once for all of
    // them (several tabs, a shared login in a meeting room). The minutely check of everyone
    // otherwise queued two queries per socket at once, ahead of everybody's upgrades.
    const bySessionAndDocument = new Map<string, Connection[]>();
    for (const connection of connections) {
      if (!affects(event, connection.identity)) continue;
      const key = `${connection.identity.sessionId} ${connection.identity.documentId}`;
      const group = bySessionAndDocument.get(key);
      if (group) group.push(connection);
      else bySessionAndDocument.set(key, [connection]);
    }
    await Promise.all([...bySessionAndDocument.values()].map(recheck));
  }

  async function recheck(group: Connection[]) {
    const { identity } = group[0]!;
    metrics.accessChecks += 1;
    // Answers can arrive out of order: one asked before a downgrade may come after the one asked
    // after it. Each connection takes only the answer of the newest check it is part of.
    const check = ++checks;
    for (const connection of group) connection.accessCheck = check;
    try {
      const access = await options.reauthorize(identity);
      for (const connection of group) {
        if (connection.accessCheck !== check) continue;
        if (access.organization) {
          connection.identity.organizationId = access.organization.id;
          connection.identity.organizationCode = access.organization.code;
        }
        if (!access.ok) connection.close(access.code, access.reason);
        // Dropping a demoted writer's updates in silence would let them type on into the void: the
        // socket closes, the client learns why, and reconnects to read (outside 4400-4499, so
        // the stock client reconnects by itself).
        else if (connection.identity.canWrite && !access.canWrite)
          connection.close(closeCodes.readOnly, 'you may only read this document now');
        else connection.setCanWrite(access.canWrite);
      }
    } catch (error) {
      log.warn({ err: error }, 'rechecking access failed');
    }
  }

  // Sessions also end by expiring, which no trigger announces.
  const recheckTimer = setInterval(() => void onAccessEvent({ kind: 'all' }), options.recheckIntervalMs ?? 60_000);
  recheckTimer.unref();

  options.fanout?.onAnnouncement(onAnnouncement);
  options.fanout?.onAwareness(onRemoteAwareness);
  options.fanout?.onAccess((event) => void onAccessEvent(event));
  options.fanout?.onReconnect(() => {
    for (const document of loaded.values()) void repair(document).catch(() => {});
    void onAccessEvent({ kind: 'all' });
  });

  return {
    metrics,
    instanceId,
    limits,
    /** The current access epoch: an upgrade notes it in `identity.checkedAt` before its check. */
    accessEpoch: () => accessEpoch,
    /** Opens a connection for an authorised socket; returns handlers for its events. */
    connect(socket: SyncSocket, identity: ConnectionIdentity) {
      const connection = new Connection(socket, identity, hub);
      connections.add(connection);
      metrics.connections = connections.size;
      // An access change announced while the upgrade was being checked found no connection yet.
      if (identity.checkedAt !== undefined && identity.checkedAt !== accessEpoch) void recheck([connection]);
      let document: SharedDocument | undefined;
      documentFor(identity.documentId).then(
        (loadedDocument) => {
          if (connection.closed) {
            // Closed while the document loaded: nobody else may come for it, so it must unload.
            if (loadedDocument.peers.size === 0) scheduleUnload(loadedDocument);
            return;
          }
          document = loadedDocument;
          clearTimeout(document.unloadTimer);
          document.peers.add(connection);
          connection.attach(document);
        },
        (error: Error) => {
          log.error({ err: error, documentId: identity.documentId }, 'loading a document failed');
          connection.close(closeCodes.internalError, 'document could not be loaded');
        },
      );
      return {
        message: (data: Uint8Array | string) => connection.receive(data),
        closed: () => {
          connection.closed = true;
          connections.delete(connection);
          metrics.connections = connections.size;
          if (!document) return;
          document.peers.delete(connection);
          const owned = [...connection.awarenessClients].filter(
            (client) => document!.clientOwners.get(client) === connection.userId,
          );
          const stillUsed = new Set([...document.peers].flatMap((peer) => [...peer.awarenessClients]));
          const gone = owned.filter((client) => !stillUsed.has(client));
          // The client ids stay theirs (clientOwners): someone else claiming one now would lock
          // its owner out when they come back.
          if (gone.length > 0) removeAwarenessStates(document.awareness, gone, connection);
          if (document.peers.size === 0) scheduleUnload(document);
        },
      };
    },
    /** Re-checks every connection matching an access event (used by tests and the API). */
    accessChanged: onAccessEvent,
    /**
     * Reads a document: the loaded one in place (no copy, no await between the read and its
     * result), else a copy loaded from the store for the read.
     */
    async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
      const live = loaded.get(documentId);
      return live ? read(live.doc) : readStored(await store.load(documentId), read);
    },
    /** A document's committed content as one Yjs update, as a client's first sync brings it. */
    async readState(documentId: string): Promise<Uint8Array> {
      // A loaded document keeps its encoding until it changes.
      const live = loaded.get(documentId);
      if (live) return live.wholeState();
      const stored = await store.load(documentId);
      // A compacted document (what an unload leaves) is its snapshot: an encoded state already,
      // served as it is, as a loaded document serves it to the first clients.
      if (stored.snapshot && stored.updates.length === 0) return stored.snapshot;
      return readStored(stored, (doc) => Y.encodeStateAsUpdate(doc));
    },
    // --- Server-made edits (document history: restore) ---
    /**
     * Commits an update the server made (a restore) exactly like a client's edit: appended to the
     * log first, then applied here and sent to every connection; other instances hear of it
     * through the commit's announcement. Loads the document for it if needed.
     */
    async commitServerUpdate(documentId: string, update: Uint8Array, userId: string | null): Promise<void> {
      const document = await documentFor(documentId);
      try {
        const { seq } = await store.append(documentId, update, userId);
        document.logLength += 1;
        document.applyCommitted(update, { first: seq, last: seq }, null);
        watchGap(document);
        if (document.logLength >= compactAfter) void compact(document);
      } finally {
        if (document.peers.size === 0) scheduleUnload(document);
      }
    },
    // --- end of server-made edits ---
    /** Loaded documents by id, for diagnostics and tests. */
    loadedDocuments: () => [...loaded.keys()],
    /** Stops: flushes pending writes, then closes every connection with 1012 so clients reconnect. */
    async shutdown() {
      clearInterval(recheckTimer);
      await store.flush();
      for (const connection of connections) connection.close(closeCodes.serviceRestart, 'server restarting');
      for (const document of loaded.values()) document.destroy();
      loaded.clear();
      documents.clear();
      await store.close();
    },
  };
}

/** Whether an access change concerns a connection. */
function affects(event: AccessEvent, identity: ConnectionIdentity): boolean {
  switch (event.kind) {
    case 'session':
      return identity.sessionId === event.sessionId;
    case 'user':
      return identity.userId === event.userId;
    case 'member':
      return identity.roomId === event.roomId && identity.userId === event.userId;
    case 'grant':
      return identity.roomId === event.roomId && identity.organizationId === event.organizationId;
    case 'document':
      return identity.documentId === event.documentId;
    default:
      return true;
  }
}

/** The sync server's public surface. */
export type SyncServer = ReturnType<typeof createSyncServer>;
