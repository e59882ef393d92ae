import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type AwarenessUser, decodeAwareness, encodeStampedAwareness } from './awareness.ts';
import { CloseConnection, closeCodes } from './close-codes.ts';
import { encodeAwarenessMessage, type Peer, type SharedDocument } from './document.ts';
import type { SyncMetrics } from './metrics.ts';
import {
  isEmptyUpdate,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from './protocol.ts';
import { createThrottle, type ThrottleOptions } from './throttle.ts';

/** The transport: any websocket-like object (ws, Hono's WSContext, a test double). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Stops reading from the socket (TCP backpressure); optional. */
  pause?(): void;
  resume?(): void;
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
  maxAwarenessBytes: number;
  throttle: ThrottleOptions;
  /** Validated update from a writer: store it, then apply and broadcast it. */
  submit(document: SharedDocument, update: Uint8Array, from: Connection): void;
  log: { warn(object: object, message: string): void };
}

/** One websocket peer of one document. */
export class Connection implements Peer {
  readonly identity: ConnectionIdentity;
  readonly awarenessClients = new Set<number>();
  private readonly socket: SyncSocket;
  private readonly hub: ConnectionHub;
  private readonly throttle;
  private document: SharedDocument | undefined;
  private backlog: Uint8Array[] = [];
  closed = false;
  /** The newest access re-check this connection is part of; older answers are ignored. */
  accessCheck = 0;

  constructor(socket: SyncSocket, identity: ConnectionIdentity, hub: ConnectionHub) {
    this.socket = socket;
    this.identity = identity;
    this.hub = hub;
    this.throttle = createThrottle(hub.throttle);
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

  /** A frame from the client. Text frames are refused: the protocol is binary. */
  receive(data: Uint8Array | string) {
    if (this.closed) return;
    if (typeof data === 'string')
      return this.close(closeCodes.unsupportedData, 'text frames are not part of the protocol');
    const pauseMs = this.throttle.take(1 + data.byteLength / 65_536);
    if (pauseMs > 0 && this.socket.pause && this.socket.resume) {
      this.hub.metrics.throttled += 1;
      this.socket.pause();
      setTimeout(() => this.socket.resume?.(), pauseMs).unref();
    }
    if (!this.document) this.backlog.push(data);
    else this.handle(data);
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
              ? 'awareness_spoofing'
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
    if (subType === syncStep1) {
      this.send(document.syncReply(decoding.readVarUint8Array(decoder)));
      return;
    }
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
    validateUpdate(update);
    this.hub.submit(document, update, this);
  }

  private handleAwareness(document: SharedDocument, update: Uint8Array) {
    const entries = decodeAwareness(update, this.hub.maxAwarenessBytes);
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
      // An echo (for example of the removal of someone who left) must not make the echoing user
      // the owner of that client id, or its owner could not come back.
      if (owner === undefined && (echo || entry.state === null)) continue;
      accepted.push(entry);
    }
    if (accepted.length === 0) return;
    for (const entry of accepted) {
      document.clientOwners.set(entry.clientId, this.identity.userId);
      this.awarenessClients.add(entry.clientId);
    }
    const user: AwarenessUser = {
      id: this.identity.userId,
      name: this.identity.userName,
      organization: this.identity.organizationCode,
    };
    const stamped = encodeStampedAwareness(accepted, user);
    applyAwarenessUpdate(document.awareness, stamped, this);
  }

  /** Sends a frame unless closed. */
  send(message: Uint8Array) {
    if (this.closed) return;
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
    Y.decodeUpdate(update);
  } catch {
    throw new CloseConnection(closeCodes.invalidPayload, 'invalid Yjs update');
  }
}
