import { call, client } from '#lib/api/client.ts';
import type { DocumentMeta, Organization, Room, RoomPerson } from '#lib/api/types.ts';

/** What the meeting and register pages need of a room besides their own data. */
export interface RoomContext {
  room: Room;
  /** The room's action lists (targets of follow-up actions). */
  lists: DocumentMeta[];
  documents: DocumentMeta[];
  people: RoomPerson[];
  organizations: Organization[];
}

/** Loads a room with its documents, the people who may read it and the organisations. */
export async function loadRoomContext(roomId: string): Promise<RoomContext> {
  const path = { params: { path: { roomId } } };
  const [{ room }, { documents }, { people }, { organizations }] = await Promise.all([
    call(client.GET('/rooms/{roomId}', path)),
    call(client.GET('/rooms/{roomId}/documents', { params: { path: { roomId }, query: { archived: 'false' } } })),
    call(client.GET('/rooms/{roomId}/people', path)),
    call(client.GET('/organizations')),
  ]);
  return { room, documents, lists: documents.filter((document) => document.kind === 'actions'), people, organizations };
}

/** Whether a role may manage meetings and the register (the server's matrix decides; this hides controls). */
export const managesMeetings = (role: Room['role']) => role === 'owner' || role === 'editor';
