import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { LogPosition } from './log-position.ts';
import {
  encodeAwarenessMessage,
  encodeSyncStep1Message,
  encodeSyncStep2Message,
  encodeSyncStep2UpdateMessage,
  encodeUpdateMessage,
} from './protocol.ts';
import { applySafely, applyStored, type StoredDocument } from './yjs-state.ts';

/** The origin of updates that only bring the stored state into memory (no change, no news). */
const storedState = Symbol('stored state');

/** A committed log entry: its update, its position in the log, and the peer it came from (null: none here). */
export interface CommittedUpdate {
  update: Uint8Array;
  seq: number;
  origin: Peer | null;
}

/** Something updates can be sent to: an open connection. */
export interface Peer {
  send(message: Uint8Array): void;
  /** Yjs client ids this peer speaks for in awareness. */
  readonly awarenessClients: Set<number>;
  readonly userId: string;
}

/** Who hears of what happens to a {@link SharedDocument}. */
export interface SharedDocumentHooks {
  /** Told how many peers a message was sent to. */
  onBroadcast?(count: number): void;
  /** Told after the content changed (not when the stored state is applied), with the transaction that changed it. */
  onChange?(transaction: Y.Transaction): void;
}

/**
 * One document held in memory: the Y.Doc with everything committed, its awareness, its peers,
 * and where it stands in the update log (`log`, see log-position.ts). Loading, unloading and
 * repairing it are the registry's and the replication's business, not this class's.
 */
export class SharedDocument {
  readonly id: string;
  readonly #doc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly peers = new Set<Peer>();
  /**
   * Which user each Yjs client id belongs to (who first wrote with it or spoke for it, as stored),
   * so nobody can take over someone else's: not while they are connected, nor after they left.
   */
  readonly clientOwners = new Map<number, string>();
  readonly log: LogPosition;
  readonly #hooks: SharedDocumentHooks;
  /**
   * The whole document as one update, and the sync step 2 carrying it for a client that has
   * nothing yet, kept until the document changes: everyone opening a document at once (by socket
   * or by page) gets the same bytes, encoded once.
   */
  #wholeState: Uint8Array | null = null;
  #wholeReply: Uint8Array | null = null;
  /** A stored snapshot not applied yet: see `doc`. */
  #unapplied: Uint8Array | null = null;

  constructor(id: string, stored: StoredDocument, hooks: SharedDocumentHooks = {}) {
    this.id = id;
    this.#hooks = hooks;
    if (stored.snapshot && stored.updates.length === 0) {
      // A compacted document is its snapshot, which is an encoded state already: the first
      // clients get its bytes as they are, and the snapshot is applied when the document is
      // first used otherwise (after those replies went out), not while they wait.
      this.#unapplied = stored.snapshot;
      this.#wholeState = stored.snapshot;
    } else {
      applyStored(this.#doc, stored, storedState);
    }
    // Not 'update': for its listeners Yjs encodes every transaction once more, which nothing here
    // needs (peers get the bytes as they arrived). Under typing that encoding was a few per cent
    // of the server's CPU.
    this.#doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === storedState || !changedContent(transaction)) return;
      this.#wholeState = null;
      this.#wholeReply = null;
      this.#hooks.onChange?.(transaction);
    });
    this.log = new LogPosition(stored.lastSeq, stored.logLength, stored.snapshot?.length ?? 0);
    for (const [client, user] of stored.clientOwners ?? []) this.clientOwners.set(client, user);
    this.awareness = new Awareness(this.#doc);
    // The server has no cursor of its own.
    this.awareness.setLocalState(null);
  }

  /** The Y.Doc with everything committed; a snapshot still waiting is applied first. */
  get doc(): Y.Doc {
    const snapshot = this.#unapplied;
    if (snapshot) {
      this.#unapplied = null;
      if (!applySafely(this.#doc, snapshot, storedState)) {
        // Unreadable after all: whoever got its bytes could not read them either.
        this.#wholeState = null;
        this.#wholeReply = null;
      }
    }
    return this.#doc;
  }

  /** The whole document as one update (see `#wholeState`). */
  wholeState(): Uint8Array {
    this.#wholeState ??= Y.encodeStateAsUpdate(this.doc);
    return this.#wholeState;
  }

  /** The answer to a client's sync step 1: what it lacks of the document, given its state vector. */
  syncReply(stateVector: Uint8Array): Uint8Array {
    if (this.#knowsNothing(stateVector)) {
      this.#wholeReply ??= encodeSyncStep2UpdateMessage(this.wholeState());
      return this.#wholeReply;
    }
    return encodeSyncStep2Message(this.doc, stateVector);
  }

  /**
   * Whether a state vector has nothing of this document: empty (a single 0), or only clients
   * the document does not have (a new tab's own client id, or made up). Such a client lacks the
   * whole document: it gets the bytes encoded once for everyone, not an encoding of its own.
   */
  #knowsNothing(stateVector: Uint8Array): boolean {
    if (stateVector.length === 1 && stateVector[0] === 0) return true;
    const { store } = this.doc;
    for (const [client, clock] of Y.decodeStateVector(stateVector))
      if (clock > 0 && store.clients.has(client)) return false;
    return true;
  }

  /**
   * Applies committed log entries (in log order) and sends them to the peers as one update: one
   * apply, one message and one socket write per peer for all of them, where a write per peer per
   * entry was, at a few thousand edits a second, half of the server's CPU. A peer hears nothing
   * of entries that all came from it; one whose own edit is among others gets it back with them,
   * which Yjs ignores (cheaper than an update of its own per origin).
   */
  applyCommitted(entries: readonly CommittedUpdate[]) {
    if (entries.length === 0) return;
    const merged = entries.length === 1 ? entries[0]!.update : mergeSafely(entries);
    const origin = commonOrigin(entries);
    if (merged && applySafely(this.doc, merged, origin)) this.broadcast(encodeUpdateMessage(merged), origin);
    else if (entries.length > 1) {
      // One of them does not merge or apply: each on its own, so the others still get through.
      for (const entry of entries)
        if (applySafely(this.doc, entry.update, entry.origin))
          this.broadcast(encodeUpdateMessage(entry.update), entry.origin);
    }
    this.log.appliedEach(entries.map((entry) => entry.seq));
  }

  /** Sends a message to every peer except `except`. */
  broadcast(message: Uint8Array, except: Peer | null) {
    let sent = 0;
    for (const peer of this.peers) {
      if (peer === except) continue;
      peer.send(message);
      sent += 1;
    }
    this.#hooks.onBroadcast?.(sent);
  }

  /** The first messages a new peer gets: our state vector, and who else is here. */
  greeting(): Uint8Array[] {
    const messages: Uint8Array[] = [encodeSyncStep1Message(this.doc)];
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) messages.push(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, states)));
    return messages;
  }

  destroy() {
    this.awareness.destroy();
    this.#unapplied = null;
    this.#doc.destroy();
  }
}

/** Whether a transaction changed the document: what Yjs checks before it emits 'update'. */
function changedContent(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/** The updates of several entries as one, or undefined when one of them does not decode. */
function mergeSafely(entries: readonly CommittedUpdate[]): Uint8Array | undefined {
  try {
    return Y.mergeUpdates(entries.map((entry) => entry.update));
  } catch {
    return undefined;
  }
}

/** The peer every entry came from, or null when they came from several (or from none here). */
function commonOrigin(entries: readonly CommittedUpdate[]): Peer | null {
  const origin = entries[0]!.origin;
  for (const entry of entries) if (entry.origin !== origin) return null;
  return origin;
}
