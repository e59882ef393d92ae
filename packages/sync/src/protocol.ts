/**
 * Message types of the y-websocket protocol (y-protocols), as the stock client speaks them.
 *
 * Rules on this server:
 * - Every frame is binary: a varuint message type, then its payload. Anything else closes the
 *   connection (see close-codes.ts); an unknown message type is an error, never ignored.
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
