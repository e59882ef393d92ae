import type { RoomRole } from './roles.ts';

/**
 * The one role matrix every route and the sync server authorise through. Pure: it knows nothing of
 * HTTP or the database; callers resolve the principal's effective room role first (membership or
 * organisation grant, whichever is stronger).
 *
 * Admins administer the platform: they see every room's metadata, manage members and organisation
 * grants, but they read or write document content only through a role of their own, so operating
 * Nordraum does not mean reading the working groups' notes.
 */
export const actions = [
  'room.view',
  'room.update',
  'room.members.manage',
  'room.grants.manage',
  'room.create',
  'document.list',
  'document.read',
  'document.comment',
  'document.write',
  'document.create',
  'document.rename',
  'document.archive',
  'admin.users.manage',
  'admin.audit.read',
  'document.version.create',
  'document.version.restore',
  'comment.read',
  'comment.write',
  'comment.moderate',
  'meeting.read',
  'meeting.manage',
  'decision.read',
  'decision.manage',
  'document.review.request',
  'room.templates.manage',
] as const;
export type Action = (typeof actions)[number];

/** Who is asking: whether they are a platform admin, and their effective role in the room. */
export interface Principal {
  isAdmin: boolean;
  /** Effective role in the room the action concerns; `null` when they have none. */
  roomRole: RoomRole | null;
}

const byRole: Record<RoomRole, ReadonlySet<Action>> = {
  owner: new Set<Action>([
    'room.view',
    'room.update',
    'room.members.manage',
    'document.list',
    'document.read',
    'document.comment',
    'document.write',
    'document.create',
    'document.rename',
    'document.archive',
    'document.version.create',
    'document.version.restore',
    'comment.read',
    'comment.write',
    'comment.moderate',
    'meeting.read',
    'meeting.manage',
    'decision.read',
    'decision.manage',
    'document.review.request',
    'room.templates.manage',
  ]),
  editor: new Set<Action>([
    'room.view',
    'document.list',
    'document.read',
    'document.comment',
    'document.write',
    'document.create',
    'document.rename',
    'document.archive',
    'document.version.create',
    'document.version.restore',
    'comment.read',
    'comment.write',
    'meeting.read',
    'meeting.manage',
    'decision.read',
    'decision.manage',
    'document.review.request',
  ]),
  commenter: new Set<Action>([
    'room.view',
    'document.list',
    'document.read',
    'document.comment',
    'comment.read',
    'comment.write',
    'meeting.read',
    'decision.read',
  ]),
  viewer: new Set<Action>([
    'room.view',
    'document.list',
    'document.read',
    'comment.read',
    'meeting.read',
    'decision.read',
  ]),
};

const forAdmins = new Set<Action>([
  'room.view',
  'room.update',
  'room.members.manage',
  'room.grants.manage',
  'room.create',
  'document.list',
  'admin.users.manage',
  'admin.audit.read',
]);

/** Any signed-in user may open a new room (and becomes its owner). */
const forEveryone = new Set<Action>(['room.create']);

/** Whether `principal` may perform `action`. */
export function can(principal: Principal, action: Action): boolean {
  if (forEveryone.has(action)) return true;
  if (principal.isAdmin && forAdmins.has(action)) return true;
  return principal.roomRole !== null && byRole[principal.roomRole].has(action);
}
