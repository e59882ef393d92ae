import { closeCodes } from '@nordraum/domain';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { RoomRole } from '#lib/api/types.ts';
import { reportActivity } from './document-activity.ts';
import { canWrite, type EditorUser, knownKind } from './document-meta.ts';
import { firstSyncUnencoded } from './first-sync.ts';
import { organizationColor } from './org-colors.ts';

/** How long the socket waits at most for the local copy to open, in ms. */
const LOCAL_COPY_WAIT = 300;

/** What the connection indicator shows. */
export type ConnectionStatus = 'connecting' | 'connected' | 'synced' | 'offline' | 'reconnecting' | 'closed';

/** Why the server ended the session for good (close codes of /sync, see the README). */
export type CloseReason = 'expired' | 'revoked' | 'deleted';

/** Someone else in the document, from awareness (stamped by the server from their session). */
export interface Peer {
  /** User id: one entry per person even with several tabs open. */
  id: string;
  name: string;
  organization: string;
  color: string;
}

const CLOSE_REASONS: Record<number, CloseReason> = {
  [closeCodes.unauthorized]: 'expired',
  [closeCodes.forbidden]: 'revoked',
  [closeCodes.notFound]: 'deleted',
};

/**
 * The Yjs side of one open notes document: the Y.Doc, its IndexedDB copy and the websocket,
 * with reactive connection state and the list of people present.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly persistence: IndexeddbPersistence;
  readonly provider: WebsocketProvider;

  online = $state(true);
  wsStatus = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
  synced = $state(false);
  closeReason = $state<CloseReason | null>(null);
  /**
   * The server closed the socket because this user may now only read (close code 4100, role
   * lowered while the page was open). The socket reconnects to read on; views stop editing.
   */
  demoted = $state(false);
  peers = $state<Peer[]>([]);

  #everConnected = false;
  /** A first attempt failed: the server is unreachable, not just slow to answer. */
  #attemptFailed = $state(false);
  #ownUserId: string | undefined;
  readonly documentId: string;
  #probeTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #lastProbeAt = 0;
  #cleanups: (() => void)[] = [];
  #destroyed = false;

  /**
   * Opens the local copy and the socket, so a known document shows at once: the socket at once
   * for a document new to this browser, else once the copy is open (at most 300 ms later).
   * `user` and `writable` decide presence; `present` can set them later (see `openEarly`).
   * `start`, the committed state a page came with, is the copy's start: the socket then brings
   * only what is newer.
   */
  constructor(documentId: string, user: EditorUser | null, writable: boolean, start?: Uint8Array) {
    this.documentId = documentId;
    this.online = typeof navigator === 'undefined' ? true : navigator.onLine;
    this.persistence = new IndexeddbPersistence(`nordraum-${documentId}`, this.doc);
    const base = `${location.origin.replace(/^http/, 'ws')}/sync`;
    // A document opened here before has a local copy: open it first, so the socket's greeting
    // asks only for what the copy lacks. Sent at once, it asked for everything, and the whole
    // document arrived a second time (for a list of 1,000 actions some 80 ms of decoding before
    // the first paint). Without a copy, waiting would only cost creating the database.
    const localFirst = !start && knownKind(documentId) !== null;
    this.provider = new WebsocketProvider(base, documentId, this.doc, { connect: this.online && !localFirst });
    // The page's header follows the document's "last changed" time (see DocumentHeader).
    this.doc.on('update', () => reportActivity(documentId));
    // Once connected: the socket's greeting goes out when it opens, with this state in it; the
    // greeting to other tabs (BroadcastChannel) goes out at once and would encode all of it.
    if (start) this.#startFrom(start);
    this.present(user, writable);
    this.#sendOwnPresenceOnly();
    if (!localFirst) firstSyncUnencoded(this.provider, this.persistence);
    this.#listen();
    if (localFirst) {
      // A copy that is slow to open does not hold the socket up for long.
      const late = new Promise((done) => setTimeout(done, LOCAL_COPY_WAIT));
      void Promise.race([this.persistence.whenSynced, late]).then(() => {
        if (this.online && !this.closeReason && !this.#destroyed) this.provider.connect();
      });
    }
  }

  /**
   * Applies the committed state the page came with. It is the server's already: not sent back,
   * and not encoded again for the local copy, which stores the whole document once it is open.
   */
  #startFrom(state: Uint8Array): void {
    const { doc, provider, persistence } = this;
    doc.off('update', provider._updateHandler);
    doc.off('update', persistence._storeUpdate);
    try {
      Y.applyUpdate(doc, state, provider);
    } finally {
      doc.on('update', provider._updateHandler);
      doc.on('update', persistence._storeUpdate);
    }
  }

  /** Shows this tab to the others as `user` when it may write; read-only tabs send no state. */
  present(user: EditorUser | null, writable: boolean): void {
    this.#ownUserId = user?.id;
    const { awareness } = this.provider;
    if (writable && user) {
      // Identity is stamped by the server; name and organisation here only serve this tab.
      // A session opened early starts without any state, which setLocalStateField would keep.
      awareness.setLocalState({
        ...awareness.getLocalState(),
        user: {
          name: user.name,
          organization: user.organization.code,
          color: organizationColor(user.organization.code),
        },
      });
    } else {
      // Read-only: no state at all, so no caret, selection or presence is ever sent.
      awareness.setLocalState(null);
    }
  }

  /** The single state the indicator shows, derived from socket, sync and browser online flag. */
  get status(): ConnectionStatus {
    if (this.closeReason) return 'closed';
    if (!this.online) return 'offline';
    if (this.wsStatus === 'connected') return this.synced ? 'synced' : 'connected';
    return this.#everConnected || this.#attemptFailed ? 'reconnecting' : 'connecting';
  }

  /**
   * Resolves true once the socket is connected and synced (the server answered this tab's sync,
   * and every edit since goes out on the open socket as it is made), false after `timeoutMs`
   * (default 5,000) without that; false at once while offline or closed for good.
   */
  whenSynced(timeoutMs = 5_000): Promise<boolean> {
    const { provider } = this;
    if (provider.wsconnected && provider.synced) return Promise.resolve(true);
    if (!this.online || this.closeReason) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (synced: boolean) => {
        clearTimeout(timer);
        provider.off('sync', onSync);
        resolve(synced);
      };
      const onSync = (synced: boolean) => {
        if (synced) done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      provider.on('sync', onSync);
    });
  }

  /** Stops sending presence, e.g. after access was revoked while the page stays open. */
  withdrawPresence(): void {
    this.provider.awareness.setLocalState(null);
  }

  /** Resolves once every edit made so far is committed to IndexedDB. */
  async flush(): Promise<void> {
    await this.persistence.whenSynced;
    const db = this.persistence.db;
    if (!db) return;
    // Read-write transactions on one store complete in order: once this one is done, every
    // update y-indexeddb queued before is on disk too. The full state covers edits made before
    // the database was open, which y-indexeddb would otherwise only write on the next load.
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction(['updates'], 'readwrite');
      transaction.objectStore('updates').add(Y.encodeStateAsUpdate(this.doc));
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  /** Closes socket and database; the IndexedDB copy stays for the next visit. */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#probeTimer);
    clearTimeout(this.#retryTimer);
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups = [];
    this.provider.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
  }

  #listen(): void {
    const { provider } = this;
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connected') {
        // A role lowered while the socket was down reaches us as a reader's upgrade, not as 4100.
        if (this.#everConnected && !this.demoted) void this.#checkWriteAccess();
        this.#everConnected = true;
        // The server may still hold our last clock from before the break and would ignore a
        // state with the same clock: re-announce with a fresh one so others see us at once.
        const state = provider.awareness.getLocalState();
        if (state) provider.awareness.setLocalState({ ...state });
      }
      this.wsStatus = status;
    };
    const onConnectionClose = (event: CloseEvent | null) => {
      if (event?.code === closeCodes.readOnly) return this.#demote();
      if (event) this.#attemptFailed = true;
      // A refused upgrade (session ended or access revoked while we were away) reaches the
      // browser only as an anonymous 1006; ask the API what happened.
      if (event && event.code === 1006) this.#scheduleProbe();
    };
    const onSync = (synced: boolean) => {
      this.synced = synced;
    };
    const onClosed = ({ code }: { code: number }) => {
      const reason = CLOSE_REASONS[code];
      if (reason) {
        this.#end(reason);
      } else {
        // Another permanent code: nothing a user can fix here, so keep trying in the background.
        this.#retryTimer = setTimeout(() => provider.connect(), 5000);
      }
    };
    let shown = '';
    const onAwareness = () => {
      const peers = collectPeers(provider.awareness.getStates(), this.doc.clientID, this.#ownUserId);
      // Every caret move is an awareness change; only a different set of people is news.
      const key = JSON.stringify(peers);
      if (key === shown) return;
      shown = key;
      this.peers = peers;
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    provider.on('connection-close', onConnectionClose);
    provider.awareness.on('change', onAwareness);

    // The browser knows about lost networks long before a websocket times out, and an emulated
    // or flaky offline state may even keep a dead socket open: follow it explicitly.
    const goOffline = () => {
      this.online = false;
      provider.disconnect();
    };
    const goOnline = () => {
      this.online = true;
      if (!this.closeReason) provider.connect();
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);

    this.#cleanups.push(() => {
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      provider.off('connection-close', onConnectionClose);
      provider.awareness.off('change', onAwareness);
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
    });
  }

  /**
   * The stock client re-sends every awareness change it hears, other people's included. Echoing
   * someone's departure lets the server take their client id for ours, and their reconnect is
   * then refused (1008) for as long as we stay. Only our own state is ours to send.
   */
  #sendOwnPresenceOnly(): void {
    const { provider, doc } = this;
    const forward = provider._awarenessUpdateHandler;
    const own = (ids: number[]) => ids.filter((id) => id === doc.clientID);
    const ownOnly = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const mine = { added: own(changes.added), updated: own(changes.updated), removed: own(changes.removed) };
      if (mine.added.length + mine.updated.length + mine.removed.length > 0) forward(mine, origin);
    };
    provider.awareness.off('update', forward);
    provider.awareness.on('update', ownOnly);
    this.#cleanups.push(() => provider.awareness.off('update', ownOnly));
  }

  /** From now on this tab only reads: views stop editing, no caret or presence is sent. */
  #demote(): void {
    this.demoted = true;
    this.provider.awareness.setLocalState(null);
  }

  /** Asks the API for the role after a reconnect; a role that may not write demotes this tab. */
  async #checkWriteAccess(): Promise<void> {
    const response = await plainGet(`/api/documents/${encodeURIComponent(this.documentId)}`);
    if (!response?.ok) return;
    const body = (await response.json().catch(() => null)) as { room?: { role?: RoomRole | null } } | null;
    if (this.#destroyed || !body?.room || this.demoted) return;
    if (!canWrite(body.room.role ?? null)) this.#demote();
  }

  #scheduleProbe(): void {
    if (this.#probeTimer !== undefined || this.closeReason || !navigator.onLine) return;
    // At most one probe every ten seconds, however fast the socket retries.
    const delay = Math.max(1000, this.#lastProbeAt + 10_000 - Date.now());
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = undefined;
      this.#lastProbeAt = Date.now();
      void this.#probe();
    }, delay);
  }

  async #probe(): Promise<void> {
    const status = async (path: string) => (await plainGet(path))?.status ?? 0;
    if (this.wsStatus === 'connected' || this.closeReason) return;
    if ((await status('/api/me')) === 401) return this.#end('expired');
    const documentStatus = await status(`/api/documents/${encodeURIComponent(this.documentId)}`);
    if (documentStatus === 403) this.#end('revoked');
    else if (documentStatus === 404) this.#end('deleted');
  }

  #end(reason: CloseReason): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.provider.disconnect();
  }
}

/**
 * A GET of our API without its client: that client's global 401 redirect must not run before
 * the local copy is flushed. Null when the network failed.
 */
function plainGet(path: string): Promise<Response | null> {
  return fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => null);
}

/** Turns awareness states into one entry per other person (not one's own other tabs), by name. */
function collectPeers(
  states: Map<number, Record<string, unknown>>,
  ownClientId: number,
  ownUserId: string | undefined,
): Peer[] {
  const byId = new Map<string, Peer>();
  for (const [clientId, state] of states) {
    if (clientId === ownClientId) continue;
    const user = state?.user as Record<string, unknown> | undefined;
    if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
    if (user.id === ownUserId) continue;
    const organization = typeof user.organization === 'string' ? user.organization : '';
    byId.set(user.id, { id: user.id, name: user.name, organization, color: organizationColor(organization) });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A session opened before its page knew the document's kind and the reader's role. */
let early: CollabSession | null = null;

/**
 * Opens a document's socket and local copy while its page still asks for the metadata, so the
 * content is on its way at once instead of after that round trip. The session sends no presence
 * until a view claims it with the role it then knows. Replaces an earlier unclaimed one.
 */
export function openEarly(documentId: string): void {
  dropEarly();
  early = new CollabSession(documentId, null, false);
}

/** Closes the early session nobody claimed, e.g. when the document turned out to be missing. */
export function dropEarly(): void {
  early?.destroy();
  early = null;
}

/**
 * The document's session: the one opened early if there is one, else a new one, started from
 * `start` (see the constructor).
 */
export function openSession(
  documentId: string,
  user: EditorUser | null,
  writable: boolean,
  start?: Uint8Array,
): CollabSession {
  const opened = early?.documentId === documentId ? early : null;
  if (!opened) return new CollabSession(documentId, user, writable, start);
  early = null;
  opened.present(user, writable);
  return opened;
}
