import { closeCodes } from '@nordraum/domain';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseConnection } from './close-connection.ts';

/**
 * Awareness updates as y-protocols encodes them: a count, then per entry the Yjs client id, a
 * clock and the state as JSON (`null` removes the client). The server decodes them itself so it
 * can check who may speak for which client id and stamp the user fields from the session.
 */

/** One entry of an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Who a connection belongs to, as the session says. */
export interface AwarenessUser {
  id: string;
  name: string;
  organization: string;
}

/** Decodes an awareness update; a malformed one closes the connection with 1007 or 1009. */
export function decodeAwareness(update: Uint8Array, maxStateBytes: number): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i += 1) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (json.length > maxStateBytes) throw new CloseConnection(closeCodes.messageTooBig, 'awareness state too large');
      const state = JSON.parse(json) as unknown;
      if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
        throw new Error('state is not an object');
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
  } catch (error) {
    if (error instanceof CloseConnection) throw error;
    throw new CloseConnection(closeCodes.invalidPayload, 'malformed awareness update');
  }
  if (decoding.hasContent(decoder))
    throw new CloseConnection(closeCodes.invalidPayload, 'trailing bytes after awareness update');
  return entries;
}

/** Encodes entries back into an awareness update, with the user fields set from the session. */
export function encodeStampedAwareness(entries: AwarenessEntry[], user: AwarenessUser): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    const state = entry.state === null ? null : { ...entry.state, user: stampUser(entry.state.user, user) };
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

function stampUser(claimed: unknown, user: AwarenessUser) {
  const base =
    claimed && typeof claimed === 'object' && !Array.isArray(claimed) ? (claimed as Record<string, unknown>) : {};
  // Presentation (colour) is the client's choice; identity is the session's.
  return { ...base, id: user.id, name: user.name, organization: user.organization };
}
