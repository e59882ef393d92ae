import { closeCodes } from '@nordraum/domain';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type AwarenessUser, decodeAwareness, encodeStampedAwareness } from './awareness.ts';
import { CloseConnection } from './close-connection.ts';
import type { Peer, SharedDocument } from './document.ts';
import type { SyncMetrics } from './metrics.ts';
import {
  encodeAwarenessMessage,
  isEmptyUpdate,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from './protocol.ts';
import type { SyncSettings } from './settings.ts';
import { Throttle } from './throttle.ts';

/** The transport: any websocket-like object (ws, Hono's WSContext, a test double). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Stops reading from the socket (TCP backpressure); optional. */
  pause?(): void;
  resume?(): void;
  /** Bytes sent but not yet passed to the network; optional (then never considered behind). */
  bufferedAmount?(): number;
  /** Drops the connection without a closing handshake; optional. */
  terminate?(): void;
}

/** Who is connected, to which document, and whether they may write; from the upgrade's checks. */
export interface ConnectionIdentity {
  sessionId: string;
  userId: string;
  userName: string;
  organizationId: string;
  organizationCode: string;
  documentId: string;
  roomId: string;
  canWrite: boolean;
  /** The server's access epoch when the upgrade's check began (`SyncServer.accessEpoch()`). */
  checkedAt?: number;
}

/** What a connection needs from the server around it. */
export interface ConnectionHub {
  metrics: SyncMetrics;
  settings: SyncSettings;
  /** Validated update from a writer: store it, then apply and broadcast it. */
  submit(document: SharedDocument, update: Uint8Array, from: Connection): void;
  /** Remembers, durably, that these Yjs client ids of a document are this user's. */
  claim(document: SharedDocument, clientIds: number[], userId: string): void;
  log: { warn(object: object, message: string): void };
}

/** One websocket peer of one document. */
export class Connection implements Peer {
  readonly identity: ConnectionIdentity;
  readonly awarenessClients = new Set<number>();
  private readonly socket: SyncSocket;
  private readonly hub: ConnectionHub;
  private readonly throttle: Throttle;
  private document: SharedDocument | undefined;
  private backlog: Uint8Array[] = [];
  /** Frames beyond the rate, waiting for the bucket to refill (bounded by the limits). */
  private heldBack: Uint8Array[] = [];
  private heldBackBytes = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  /** The newest sync request not answered yet, and when the last one was. */
  private syncRequest: Uint8Array | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private lastSyncReply = Number.NEGATIVE_INFINITY;
  closed = false;
  /** The newest access re-check this connection is part of; older answers are ignored. */
  accessCheck = 0;

  constructor(socket: SyncSocket, identity: ConnectionIdentity, hub: ConnectionHub) {
    this.socket = socket;
    this.identity = identity;
    this.hub = hub;
    this.throttle = new Throttle({ perSecond: hub.settings.framesPerSecond, burst: hub.settings.burst });
  }

  get userId() {
    return this.identity.userId;
  }

  /**
   * Binds the loaded document, handles what arrived meanwhile and greets the client. In that
   * order: the client's sync step 1 is usually waiting, and the whole document for it is ready
   * before the greeting's state vector, which needs a freshly loaded snapshot applied first.
   */
  attach(document: SharedDocument) {
    this.document = document;
    const backlog = this.backlog;
    this.backlog = [];
    for (const data of backlog) this.handle(data);
    if (this.closed) return;
    for (const message of document.greeting()) this.send(message);
  }

  /**
   * A frame from the client. Text frames are refused: the protocol is binary. Pausing the socket
   * does not stop frames already read from it (one read can hold thousands): frames beyond the
   * rate wait, bounded, and are handled as the bucket refills; beyond the bound the connection
   * closes.
   */
  receive(data: Uint8Array | string) {
    if (this.closed) return;
    if (typeof data === 'string')
      return this.close(closeCodes.unsupportedData, 'text frames are not part of the protocol');
    if (this.heldBack.length > 0 || !this.throttle.take(frameCost(data))) return this.holdBack(data);
    this.process(data);
  }

  private process(data: Uint8Array) {
    if (!this.document) this.backlog.push(data);
    else this.handle(data);
  }

  private holdBack(data: Uint8Array) {
    const { maxQueuedFrames, maxQueuedBytes } = this.hub.settings;
    this.heldBack.push(data);
    this.heldBackBytes += data.byteLength;
    if (this.heldBack.length > maxQueuedFrames || this.heldBackBytes > maxQueuedBytes) {
      this.hub.metrics.reject('flooding');
      this.close(closeCodes.tryAgainLater, 'too many messages');
      return;
    }
    if (this.drainTimer) return;
    this.hub.metrics.throttled += 1;
    this.socket.pause?.();
    this.drainTimer = setTimeout(() => this.drain(), Math.max(1, this.throttle.waitMs()));
    this.drainTimer.unref();
  }

  private drain() {
    this.drainTimer = undefined;
    while (this.heldBack.length > 0 && !this.closed) {
      if (!this.throttle.take(frameCost(this.heldBack[0]!))) {
        this.drainTimer = setTimeout(() => this.drain(), Math.max(1, this.throttle.waitMs()));
        this.drainTimer.unref();
        return;
      }
      const data = this.heldBack.shift()!;
      this.heldBackBytes -= data.byteLength;
      this.process(data);
    }
    if (!this.closed) this.socket.resume?.();
  }

  private handle(data: Uint8Array) {
    try {
      this.dispatch(data);
    } catch (error) {
      if (error instanceof CloseConnection) {
        this.hub.metrics.reject(
          error.code === closeCodes.messageTooBig
            ? 'too_big'
            : error.code === closeCodes.policyViolation
              ? error.message.includes('client ids')
                ? 'too_many_client_ids'
                : 'awareness_spoofing'
              : 'invalid_message',
        );
        this.close(error.code, error.message);
      } else {
        this.hub.metrics.reject('invalid_message');
        this.close(closeCodes.invalidPayload, 'message does not decode');
      }
    }
  }

  private dispatch(data: Uint8Array) {
    const document = this.document!;
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === messageSync) return this.handleSync(document, decoder);
    if (type === messageAwareness) return this.handleAwareness(document, decoding.readVarUint8Array(decoder));
    if (type === messageQueryAwareness) {
      const clients = [...document.awareness.getStates().keys()];
      if (clients.length > 0) this.send(encodeAwarenessMessage(encodeAwarenessUpdate(document.awareness, clients)));
      return;
    }
    throw new CloseConnection(closeCodes.unsupportedData, `unknown message type ${type}`);
  }

  private handleSync(document: SharedDocument, decoder: decoding.Decoder) {
    const subType = decoding.readVarUint(decoder);
    if (subType === syncStep1) return this.requestSync(decoding.readVarUint8Array(decoder));
    if (subType !== syncStep2 && subType !== syncUpdate) {
      throw new CloseConnection(closeCodes.unsupportedData, `unknown sync message ${subType}`);
    }
    const update = decoding.readVarUint8Array(decoder);
    if (isEmptyUpdate(update)) return;
    this.hub.metrics.updatesReceived += 1;
    if (!this.identity.canWrite) {
      // Read-only members see the document; what they send is dropped, only counted.
      this.hub.metrics.reject('read_only');
      return;
    }
    const written = clientsWritten(document, validateUpdate(update));
    const claimed = written.filter((client) => this.claimOwner(document, client, 'an edit'));
    if (claimed.length > 0) this.hub.claim(document, claimed, this.identity.userId);
    this.hub.submit(document, update, this);
  }

  /**
   * Makes sure this user may write or speak for `clientId`: nobody else has (by edits or
   * awareness, now or before, also before a restart). Claims it when it is free; refuses a client
   * id of another user with 1008. Returns whether the claim is new.
   */
  private claimOwner(document: SharedDocument, clientId: number, what: string): boolean {
    const owner = document.clientOwners.get(clientId);
    if (owner !== undefined && owner !== this.identity.userId)
      throw new CloseConnection(closeCodes.policyViolation, `${what} for a client id of another user`);
    if (owner !== undefined) return false;
    document.clientOwners.set(clientId, this.identity.userId);
    return true;
  }

  /** Counts a client id this connection speaks for; more than the limit close it with 1008. */
  private speakFor(clientId: number) {
    if (this.awarenessClients.has(clientId)) return;
    if (this.awarenessClients.size >= this.hub.settings.maxClientIdsPerConnection)
      throw new CloseConnection(closeCodes.policyViolation, 'too many client ids on one connection');
    this.awarenessClients.add(clientId);
  }

  /**
   * A sync request (step 1): the first is answered at once, later ones at most once per
   * interval, with the newest state vector. Each answer can be the whole document; a stock
   * client asks once per connection (and, with its resync option, now and then).
   */
  private requestSync(stateVector: Uint8Array) {
    try {
      Y.decodeStateVector(stateVector);
    } catch {
      throw new CloseConnection(closeCodes.invalidPayload, 'invalid state vector');
    }
    this.syncRequest = stateVector;
    if (this.syncTimer) return;
    const waitMs = this.lastSyncReply + this.hub.settings.syncRequestIntervalMs - performance.now();
    if (waitMs <= 0) return this.answerSync();
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.answerSync();
    }, waitMs);
    this.syncTimer.unref();
  }

  private answerSync() {
    const stateVector = this.syncRequest;
    this.syncRequest = undefined;
    if (!stateVector || this.closed || !this.document) return;
    this.lastSyncReply = performance.now();
    this.send(this.document.syncReply(stateVector));
  }

  private handleAwareness(document: SharedDocument, update: Uint8Array) {
    const entries = decodeAwareness(update, this.hub.settings.maxAwarenessBytes);
    if (!this.identity.canWrite) return;
    const accepted: typeof entries = [];
    for (const entry of entries) {
      const owner = document.clientOwners.get(entry.clientId);
      const known = document.awareness.meta.get(entry.clientId)?.clock;
      // The stock client sends every awareness change it hears back to the server. Such an echo
      // is never newer than what we have.
      const echo = known !== undefined && entry.clock <= known;
      if (owner !== undefined && owner !== this.identity.userId) {
        // A newer state for someone else's client is an attempt to appear as them.
        if (!echo) throw new CloseConnection(closeCodes.policyViolation, 'awareness for a client id of another user');
        continue;
      }
      // An echo (for example of the removal of someone who left) changes nothing, and must not
      // make the echoing user the owner of that client id (nor count as one it speaks for: every
      // tab echoes the others).
      if (echo || (owner === undefined && entry.state === null)) continue;
      accepted.push(entry);
    }
    if (accepted.length === 0) return;
    for (const entry of accepted) this.speakFor(entry.clientId);
    const claimed = accepted
      .map((entry) => entry.clientId)
      .filter((client) => this.claimOwner(document, client, 'awareness'));
    if (claimed.length > 0) this.hub.claim(document, claimed, this.identity.userId);
    const user: AwarenessUser = {
      id: this.identity.userId,
      name: this.identity.userName,
      organization: this.identity.organizationCode,
    };
    const stamped = encodeStampedAwareness(accepted, user);
    applyAwarenessUpdate(document.awareness, stamped, this);
  }

  /**
   * Sends a frame unless closed. A peer with more than the limit still waiting to be sent to it
   * is not reading: it is closed rather than sent more, and dropped if it does not take the close
   * within a second.
   */
  send(message: Uint8Array) {
    if (this.closed) return;
    if ((this.socket.bufferedAmount?.() ?? 0) > this.hub.settings.maxBufferedBytes) {
      this.hub.metrics.reject('not_reading');
      this.close(closeCodes.tryAgainLater, 'not reading what it is sent');
      setTimeout(() => this.socket.terminate?.(), 1_000).unref();
      return;
    }
    try {
      this.socket.send(message);
    } catch {
      this.close(closeCodes.internalError, 'send failed');
    }
  }

  /** Closes the socket once with a code from the close-code table. */
  close(code: number, reason: string) {
    if (this.closed) return;
    this.closed = true;
    this.heldBack = [];
    clearTimeout(this.drainTimer);
    clearTimeout(this.syncTimer);
    try {
      this.socket.close(code, reason);
    } catch {
      // Already gone.
    }
  }

  /** Role changed while connected. */
  setCanWrite(canWrite: boolean) {
    this.identity.canWrite = canWrite;
  }
}

/**
 * Rejects an update that does not decode, before it reaches the log or the shared document: every
 * struct, its content and the delete set are read in full. (Applying it to an empty scratch
 * document checks no more: against an empty document, almost every struct waits as pending and is
 * only decoded; building that document costs several times the decoding.)
 */
function validateUpdate(update: Uint8Array) {
  try {
    return Y.decodeUpdate(update);
  } catch {
    throw new CloseConnection(closeCodes.invalidPayload, 'invalid Yjs update');
  }
}

/**
 * The client ids an update writes new content for: structs beyond what the document has of that
 * client. Content the document has already (an update restored from a device's copy carries
 * everyone's) writes nothing.
 */
function clientsWritten(document: SharedDocument, decoded: ReturnType<typeof Y.decodeUpdate>): number[] {
  const written = new Set<number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (!written.has(client) && clock + struct.length > Y.getState(document.doc.store, client)) written.add(client);
  }
  return [...written];
}

/** What a frame costs of the bucket: one, plus one per 64 KiB. */
const frameCost = (data: Uint8Array) => 1 + data.byteLength / 65_536;
