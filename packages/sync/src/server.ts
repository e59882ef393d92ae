import { randomBytes } from 'node:crypto';
import { closeCodes, type DocumentKind } from '@nordraum/domain';
import { removeAwarenessStates } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { type Access, createAccessChecks } from './access.ts';
import type { AccessEvent } from './access-event.ts';
import { DocumentGoneError } from './append-log.ts';
import { createCommitGroups } from './commit-groups.ts';
import { Connection, type ConnectionHub, type ConnectionIdentity, type SyncSocket } from './connection.ts';
import type { CommittedUpdate, SharedDocument } from './document.ts';
import type { Fanout } from './fanout.ts';
import { SyncMetrics } from './metrics.ts';
import { createRegistry } from './registry.ts';
import { createReplication } from './replication.ts';
import { resolveSettings, type SyncSettings } from './settings.ts';
import type { DocumentStore } from './store.ts';
import type { SyncLog } from './sync-log.ts';
import type { ThreadPriority } from './thread-priority.ts';
import { createVersionStates } from './version-state.ts';
import { readStoredCopy, storedState } from './yjs-state.ts';

export type { Access } from './access.ts';

/**
 * The sync server: the facade over the registry of loaded documents (registry.ts), their
 * replication between instances (replication.ts) and the access re-checks of their connections
 * (access.ts). Everything committed goes the same way, a client's edit or the server's own:
 * appended to the log first, then applied and sent to the peers.
 */

/** Options for {@link createSyncServer}. */
export interface SyncServerOptions {
  store: DocumentStore;
  /** Cross-instance announcements; absent for a single instance in tests. */
  fanout?: Fanout;
  /** Checks a connection's session and role again after an access change. */
  reauthorize(identity: ConnectionIdentity): Promise<Access>;
  /** Names this instance in announcements (random). */
  instanceId?: string;
  /** Overrides of `defaultSettings` (settings.ts). */
  settings?: Partial<SyncSettings>;
  /**
   * Told after committed content changed a loaded document (from here or another instance), with
   * the transaction that changed it (what changed is in `transaction.changed`).
   */
  onChange?: (documentId: string, transaction: Y.Transaction) => void;
  /** Told when the last loaded document has unloaded (e.g. to give memory back). */
  onIdle?: () => void;
  /** Scheduling of the thread that merges version states (default: nice 10; thread-priority.ts). */
  backgroundPriority?: ThreadPriority;
  log: SyncLog;
}

/** The sync server: documents in memory, their connections, persistence and fan-out. */
export function createSyncServer(options: SyncServerOptions) {
  const metrics = new SyncMetrics();
  const instanceId = options.instanceId ?? randomBytes(8).toString('hex');
  const settings = resolveSettings(options.settings);
  const { store, log, fanout } = options;
  const registry = createRegistry({
    store,
    settings,
    metrics,
    log,
    onLoaded: (document) => replication.loaded(document),
    onForgotten: (documentId) => replication.forgotten(documentId),
    onChange: options.onChange,
    onIdle: options.onIdle,
  });
  const replication = createReplication({
    registry,
    store,
    fanout,
    instanceId,
    settings,
    metrics,
    log,
    isLocal: (origin) => origin instanceof Connection,
  });
  const versionStates = createVersionStates(store, options.backgroundPriority);
  const accessListeners: ((event: AccessEvent) => void)[] = [];
  const access = createAccessChecks({
    reauthorize: options.reauthorize,
    settings,
    metrics,
    log,
    onEvent: (event) => {
      for (const listener of accessListeners) listener(event);
    },
  });

  // What one commit made durable is applied and sent per document, all at once (commit-groups.ts).
  const committed = createCommitGroups<SharedDocument, CommittedUpdate>({
    apply(document, entries) {
      replication.applyCommitted(document, entries);
      registry.appended(document, entries.length);
    },
    onError: (error, document) =>
      log.error({ err: error, documentId: document.id }, 'applying committed updates failed'),
  });

  /** Appends an update; once durable, it is applied here and sent to the peers but `from`. */
  async function commit(document: SharedDocument, update: Uint8Array, userId: string | null, from: Connection | null) {
    const { seq } = await store.append(document.id, update, userId);
    committed.add(document, { update, seq, origin: from });
  }

  const hub: ConnectionHub = {
    metrics,
    settings,
    log,
    claim(document, clientIds, userId) {
      store.claimClients(document.id, clientIds, userId).catch((error: Error) => {
        log.warn({ err: error, documentId: document.id }, 'recording the owner of a client id failed');
      });
    },
    submit(document, update, from) {
      commit(document, update, from.identity.userId, from).catch((error: Error) => {
        const gone = error instanceof DocumentGoneError;
        metrics.reject(gone ? 'document_gone' : 'persistence_failed');
        if (!gone) log.error({ err: error, documentId: document.id }, 'storing an update failed');
        // The client still has the edit; it sends it again after reconnecting.
        from.close(
          gone ? closeCodes.notFound : closeCodes.internalError,
          gone ? 'document deleted' : 'update could not be stored',
        );
      });
    },
  };

  fanout?.onAccess((event) => void access.changed(event));
  fanout?.onReconnect(() => {
    replication.repairAll();
    void access.changed({ kind: 'all' });
  });

  /** Binds a connection to its document once loaded; a connection closed meanwhile lets it unload. */
  function join(connection: Connection, document: SharedDocument) {
    if (connection.closed) {
      // Nobody else may come for it, so it must unload.
      registry.release(document);
      return false;
    }
    registry.keep(document);
    document.peers.add(connection);
    connection.attach(document);
    return true;
  }

  /** Removes a closed connection from its document, and its presence unless another tab keeps it. */
  function leave(connection: Connection, document: SharedDocument) {
    document.peers.delete(connection);
    const owned = [...connection.awarenessClients].filter(
      (client) => document.clientOwners.get(client) === connection.userId,
    );
    const stillUsed = new Set([...document.peers].flatMap((peer) => [...peer.awarenessClients]));
    const gone = owned.filter((client) => !stillUsed.has(client));
    // The client ids stay theirs (clientOwners): someone else claiming one now would lock
    // its owner out when they come back.
    if (gone.length > 0) removeAwarenessStates(document.awareness, gone, connection);
    registry.release(document);
  }

  return {
    metrics,
    instanceId,
    /** The resolved settings (defaults with the overrides). */
    settings,
    /** The current access epoch: an upgrade notes it in `identity.checkedAt` before its check. */
    accessEpoch: access.epoch,
    /**
     * Starts loading a document an authorised upgrade is about to join, so that the load runs
     * while the websocket handshake completes. Nobody joining it lets it unload as usual; a failed
     * load is left to the connection, which tries again and reports it.
     */
    prefetch(documentId: string) {
      registry.open(documentId).then(registry.release, () => {});
    },
    /** Opens a connection for an authorised socket; returns handlers for its events. */
    connect(socket: SyncSocket, identity: ConnectionIdentity) {
      const connection = new Connection(socket, identity, hub);
      access.add(connection);
      let document: SharedDocument | undefined;
      registry.open(identity.documentId).then(
        (loaded) => {
          if (join(connection, loaded)) document = loaded;
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
          access.remove(connection);
          if (document) leave(connection, document);
        },
      };
    },
    /** Re-checks every connection matching an access event (used by tests and the API). */
    accessChanged: access.changed,
    /** Tells `listener` of every access event, in the same turn as the access epoch moves. */
    onAccessEvent(listener: (event: AccessEvent) => void) {
      accessListeners.push(listener);
    },
    /**
     * Reads a document: the loaded one in place (no copy, no await between the read and its
     * result), else a copy loaded from the store for the read.
     */
    async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
      const live = registry.loaded(documentId);
      return live ? read(live.doc) : readStoredCopy(await store.load(documentId), read);
    },
    /** A document's committed content as one Yjs update, as a client's first sync brings it. */
    async readState(documentId: string): Promise<Uint8Array> {
      // A loaded document keeps its encoding until it changes; a compacted one (what an unload
      // leaves) is served as its snapshot, as a loaded document serves it to the first clients.
      const live = registry.loaded(documentId);
      return live ? live.wholeState() : storedState(await store.load(documentId));
    },
    /**
     * A document's committed content for a version: the state at the log position `seq`, which
     * holds every edit committed (on any instance) before the call. Read from the store and merged
     * in a worker thread (version-state.ts): the loaded document is not encoded, so its editors do
     * not wait for it. With it, `packed`: the state compressed there as versions store it.
     */
    versionState: (documentId: string) => versionStates.read(documentId),
    /**
     * A restore of the version state `target` worked out off the main thread from the same state
     * `versionState` reads: `before` (to keep, `packed` as stored) at `seq`, and the `update` to
     * commit (null: the document already equals the version). See version-state.ts.
     */
    restorePlan: (documentId: string, kind: DocumentKind, target: Uint8Array) =>
      versionStates.restorePlan(documentId, kind, target),
    /**
     * Commits an update the server made (a restore) exactly like a client's edit: appended to the
     * log first, then applied here and sent to every connection; other instances hear of it
     * through the commit's announcement. Loads the document for it if needed.
     */
    async commitServerUpdate(documentId: string, update: Uint8Array, userId: string | null): Promise<void> {
      const document = await registry.open(documentId);
      try {
        await commit(document, update, userId, null);
        // Applied before this resolves: the caller may read the document next.
        committed.flush(document);
      } finally {
        registry.release(document);
      }
    },
    /** Loaded documents by id, for diagnostics and tests. */
    loadedDocuments: registry.ids,
    /** Stops: flushes pending writes, then closes every connection with 1012 so clients reconnect. */
    async shutdown() {
      access.stop();
      await store.flush();
      for (const connection of access.all()) connection.close(closeCodes.serviceRestart, 'server restarting');
      for (const documentId of registry.ids()) replication.forgotten(documentId);
      registry.clear();
      await versionStates.close();
      await store.close();
    },
  };
}

/** The sync server's public surface. */
export type SyncServer = ReturnType<typeof createSyncServer>;
