/** Roles a user can hold in a room, strongest first. */
export const roomRoles = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type RoomRole = (typeof roomRoles)[number];

/** Kinds of documents a room holds; each is one Y.Doc. */
export const documentKinds = ['notes', 'roadmap', 'actions'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const rank: Record<RoomRole, number> = { owner: 4, editor: 3, commenter: 2, viewer: 1 };

/** The stronger of two roles; `null` means no role. */
export function strongerRole(a: RoomRole | null, b: RoomRole | null): RoomRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return rank[a] >= rank[b] ? a : b;
}
