// Value lists the UI iterates over (selects, groupings). Their types come from schema.d.ts; the
// `Exhaustive` checks make a new role or kind on the server a compile error here.
import type { DocumentKind, OrganizationKind, RoomRole } from './types.ts';

type Exhaustive<All, Listed extends readonly unknown[]> = [Exclude<All, Listed[number]>] extends [never]
  ? Listed
  : never;

/** Room roles, strongest first. */
export const ROOM_ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const satisfies readonly RoomRole[];
/** Document kinds in the order the room page groups them. */
export const DOCUMENT_KINDS = ['notes', 'roadmap', 'actions'] as const satisfies readonly DocumentKind[];
export const ORGANIZATION_KINDS = ['land', 'provider', 'other'] as const satisfies readonly OrganizationKind[];

// Compile-time only: each line fails when the server gained a value the list above lacks.
export type _RolesComplete = Exhaustive<RoomRole, typeof ROOM_ROLES>;
export type _KindsComplete = Exhaustive<DocumentKind, typeof DOCUMENT_KINDS>;
export type _OrganizationKindsComplete = Exhaustive<OrganizationKind, typeof ORGANIZATION_KINDS>;
