import { call, client } from '#lib/api/client.ts';
import type { Member } from '#lib/api/types.ts';

/** Who can own milestones and actions, and which organisations can lead. */
export interface RoomDirectory {
  members: Member[];
  organizationCodes: string[];
}

/** Loads the room's members and all organisation codes; a failure leaves the lists empty. */
export async function loadRoomDirectory(roomId: string): Promise<RoomDirectory> {
  const [members, organizations] = await Promise.all([
    call(client.GET('/rooms/{roomId}/members', { params: { path: { roomId } } })).then(
      (response) => response.members,
      // Offline or not allowed: owners then show as unknown people; editing still works.
      () => [] as Member[],
    ),
    call(client.GET('/organizations')).then(
      (response) => response.organizations.map((organization) => organization.code),
      () => [] as string[],
    ),
  ]);
  return toDirectory(members, organizations);
}

/** The directory from the room's members and the organisation codes, members by name. */
export function toDirectory(members: Member[], organizationCodes: string[]): RoomDirectory {
  return { members: [...members].sort((a, b) => a.user.name.localeCompare(b.user.name)), organizationCodes };
}
