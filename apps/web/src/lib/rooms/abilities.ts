// What the UI offers in a room. The server's permission matrix (packages/domain) decides; this
// mirror only hides controls a person could not use, so nobody is shown a button that fails.
import type { RoomRole } from '#lib/api/types.ts';

/** Controls the room page shows for one person. */
export interface RoomAbilities {
  /** Create, rename, archive and restore documents. */
  editDocuments: boolean;
  /** Rename the room and change its description. */
  editRoom: boolean;
  /** Add and remove members, change their roles. */
  manageMembers: boolean;
  /** Invite someone by link straight into the room. */
  invite: boolean;
  /** Grant or withdraw roles for whole organisations. */
  manageGrants: boolean;
}

/** The controls for someone with `role` in the room (null: none), admin or not. */
export function roomAbilities(role: RoomRole | null, isAdmin: boolean): RoomAbilities {
  const owner = role === 'owner';
  return {
    // Admins administer rooms but write documents only through a role of their own.
    editDocuments: owner || role === 'editor',
    editRoom: owner || isAdmin,
    manageMembers: owner || isAdmin,
    invite: owner || isAdmin,
    manageGrants: isAdmin,
  };
}
