import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

/**
 * Message types of the y-websocket protocol (y-protocols), as the stock client speaks them.
 *
 * Rules on this server:
 * - Every frame is binary: a varuint message type, then its payload. Anything else closes the
 *   connection (see the close-code table in packages/domain); an unknown message type is an error, never ignored.
 * - sync step 1 is always answered (read access suffices); sync step 2 and update carry edits and
 *   are accepted only from writers, after they are durable in the update log.
 * - awareness is accepted from writers only, for Yjs client ids the user owns, with the user
 *   fields stamped from the session; query-awareness is answered with all current states.
 * - A reply is sent only when there is something in it.
 */
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

/** Sub-types of messageSync. */
export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/** An update that changes nothing (no structs, no deletions), as Yjs encodes it. */
export const isEmptyUpdate = (update: Uint8Array) => update.byteLength === 2 && update[0] === 0 && update[1] === 0;

/** A frame of message type `type` whose payload `write` writes. */
function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync step 1 frame: the state vector of `doc` (what the server greets a peer with). */
export const encodeSyncStep1Message = (doc: Y.Doc) =>
  frame(messageSync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc));

/** A sync step 2 frame: what `doc` has beyond `stateVector`. */
export const encodeSyncStep2Message = (doc: Y.Doc, stateVector: Uint8Array) =>
  frame(messageSync, (encoder) => syncProtocol.writeSyncStep2(encoder, doc, stateVector));

/** A sync step 2 frame carrying an encoded `update` as it is (for a peer that has nothing yet). */
export const encodeSyncStep2UpdateMessage = (update: Uint8Array) =>
  frame(messageSync, (encoder) => {
    encoding.writeVarUint(encoder, syncStep2);
    encoding.writeVarUint8Array(encoder, update);
  });

/** A sync "update" frame carrying `update`. */
export const encodeUpdateMessage = (update: Uint8Array) =>
  frame(messageSync, (encoder) => syncProtocol.writeUpdate(encoder, update));

/** An awareness frame carrying an awareness `update`. */
export const encodeAwarenessMessage = (update: Uint8Array) =>
  frame(messageAwareness, (encoder) => encoding.writeVarUint8Array(encoder, update));
