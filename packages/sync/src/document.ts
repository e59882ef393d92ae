import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { messageAwareness, messageSync, syncStep2 } from './protocol.ts';
import { applySafely, applyStored, type StoredDocument } from './store.ts';

/** The origin of updates that only bring the stored state into memory (no change, no news). */
const storedState = Symbol('stored state');

/** Something updates can be sent to: an open connection. */
export interface Peer {
  send(message: Uint8Array): void;
  /** Yjs client ids this peer speaks for in awareness. */
  readonly awarenessClients: Set<number>;
  readonly userId: string;
}

/**
 * One document held in memory: the Y.Doc with everything committed, its awareness, its peers.
 *
 * `lastSeq` is the highest log position up to which every entry has been applied here. Entries
 * applied beyond a gap (our own commits, which may overtake another instance's announcement) wait
 * in `ahead` until the gap closes; a gap that stays open is repaired from the log.
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
  lastSeq = 0;
  readonly ahead = new Set<number>();
  logLength = 0;
  unloadTimer: NodeJS.Timeout | undefined;
  gapTimer: NodeJS.Timeout | undefined;
  onBroadcast: (count: number) => void = () => {};
  /** Told after the content changed (not when the stored state is applied). */
  onChange: () => void = () => {};
  /**
   * The whole document as one update, and the sync step 2 carrying it for a client that has
   * nothing yet, kept until the document changes: everyone opening a document at once (by socket
   * or by page) gets the same bytes, encoded once.
   */
  #wholeState: Uint8Array | null = null;
  #wholeReply: Uint8Array | null = null;
  /** A stored snapshot not applied yet: see `doc`. */
  #unapplied: Uint8Array | null = null;

  constructor(id: string, stored: StoredDocument) {
    this.id = id;
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
      this.onChange();
    });
    this.lastSeq = stored.lastSeq;
    this.logLength = stored.logLength;
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
      this.#wholeReply ??= syncStepTwo(this.wholeState());
      return this.#wholeReply;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
    return encoding.toUint8Array(encoder);
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

  /** Applies a committed update and sends it to every peer but its origin. */
  applyCommitted(update: Uint8Array, seqs: { first: number; last: number }, origin: Peer | null) {
    if (applySafely(this.doc, update, origin)) this.broadcast(encodeUpdateMessage(update), origin);
    this.markApplied(seqs.first, seqs.last);
  }

  /** Records that log entries first..last are applied; returns whether a gap remains. */
  markApplied(first: number, last: number): boolean {
    if (first <= this.lastSeq + 1) {
      this.lastSeq = Math.max(this.lastSeq, last);
      while (this.ahead.delete(this.lastSeq + 1)) this.lastSeq += 1;
    } else {
      for (let seq = first; seq <= last; seq += 1) this.ahead.add(seq);
    }
    for (const seq of this.ahead) if (seq <= this.lastSeq) this.ahead.delete(seq);
    return this.ahead.size > 0;
  }

  /** Sends a message to every peer except `except`. */
  broadcast(message: Uint8Array, except: Peer | null) {
    let sent = 0;
    for (const peer of this.peers) {
      if (peer === except) continue;
      peer.send(message);
      sent += 1;
    }
    this.onBroadcast(sent);
  }

  /** The first messages a new peer gets: our state vector, and who else is here. */
  greeting(): Uint8Array[] {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    const messages: Uint8Array[] = [encoding.toUint8Array(encoder)];
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) messages.push(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, states)));
    return messages;
  }

  destroy() {
    clearTimeout(this.unloadTimer);
    clearTimeout(this.gapTimer);
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

/** A sync step 2 message carrying `update`. */
function syncStepTwo(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A sync "update" message carrying `update`. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message carrying `update`. */
export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
