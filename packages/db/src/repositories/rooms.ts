import { type Room, type RoomRole, strongerRole } from '@nordraum/domain';
import { and, asc, eq, inArray, or, type Placeholder, sql } from 'drizzle-orm';
import { type Database, perDatabase, type Queryable } from '../client.ts';
import { document, organization, organizationGrant, room, roomMember, user } from '../schema.ts';

/** Who is looking: enough to resolve their effective role in any room. */
export interface Viewer {
  userId: string;
  organizationId: string;
  isAdmin: boolean;
}

/** A viewer's ids, as values or as a prepared statement's placeholders. */
type ViewerIds = { [key in 'userId' | 'organizationId']: string | Placeholder };

function memberRole(viewer: ViewerIds) {
  return sql<RoomRole | null>`(select ${roomMember.role} from ${roomMember}
    where ${roomMember.roomId} = ${room.id} and ${roomMember.userId} = ${viewer.userId})`;
}

function grantRole(viewer: ViewerIds) {
  return sql<RoomRole | null>`(select ${organizationGrant.role} from ${organizationGrant}
    where ${organizationGrant.roomId} = ${room.id} and ${organizationGrant.organizationId} = ${viewer.organizationId})`;
}

/**
 * The viewer's role in a room: the stronger of their membership and their organisation's grant.
 * `undefined` when the room does not exist.
 */
export async function findRoomWithRole(db: Queryable, roomId: string, viewer: Viewer) {
  const [row] = await db
    .select({
      id: room.id,
      name: room.name,
      description: room.description,
      createdAt: room.createdAt,
      memberRole: memberRole(viewer),
      grantRole: grantRole(viewer),
    })
    .from(room)
    .where(eq(room.id, roomId));
  if (!row) return undefined;
  const { memberRole: fromMembership, grantRole: fromGrant, ...rest } = row;
  return { ...rest, role: strongerRole(fromMembership, fromGrant) };
}

function prepareDocumentWithRoom(db: Database) {
  const viewer = { userId: sql.placeholder('userId'), organizationId: sql.placeholder('organizationId') };
  return db
    .select({
      document,
      room: { id: room.id, name: room.name, description: room.description, createdAt: room.createdAt },
      memberRole: memberRole(viewer),
      grantRole: grantRole(viewer),
    })
    .from(document)
    .innerJoin(room, eq(room.id, document.roomId))
    .where(eq(document.id, sql.placeholder('documentId')))
    .prepare('nordraum_document_with_room');
}

const documentWithRoom = perDatabase(prepareDocumentWithRoom);

/**
 * A document and its room with the viewer's role there (as {@link findRoomWithRole}), in one
 * prepared round trip: every document route asks this first. `undefined` when the document does
 * not exist; `documentId` must be a UUID. Takes the database, not a transaction: the statement is
 * prepared once per database, and a transaction is no `Database` (it has no pool), so tsc refuses one.
 */
export async function findDocumentWithRoom(db: Database, documentId: string, viewer: Viewer) {
  const [row] = await documentWithRoom(db).execute({
    documentId,
    userId: viewer.userId,
    organizationId: viewer.organizationId,
  });
  if (!row) return undefined;
  return { document: row.document, room: { ...row.room, role: strongerRole(row.memberRole, row.grantRole) } };
}

async function organizationsByRoom(db: Queryable, roomIds: string[]) {
  const byRoom = new Map<string, Room['organizations']>();
  if (roomIds.length === 0) return byRoom;
  const rows = await db
    .selectDistinct({
      roomId: roomMember.roomId,
      id: organization.id,
      code: organization.code,
      name: organization.name,
    })
    .from(roomMember)
    .innerJoin(user, eq(user.id, roomMember.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(inArray(roomMember.roomId, roomIds))
    .union(
      db
        .select({
          roomId: organizationGrant.roomId,
          id: organization.id,
          code: organization.code,
          name: organization.name,
        })
        .from(organizationGrant)
        .innerJoin(organization, eq(organization.id, organizationGrant.organizationId))
        .where(inArray(organizationGrant.roomId, roomIds)),
    );
  for (const { roomId, ...org } of rows.sort((a, b) => a.code.localeCompare(b.code))) {
    byRoom.set(roomId, [...(byRoom.get(roomId) ?? []), org]);
  }
  return byRoom;
}

/** The rooms a viewer may see (admins see all), with their role and the organisations taking part. */
export async function listVisibleRooms(db: Queryable, viewer: Viewer): Promise<Room[]> {
  const visible = viewer.isAdmin
    ? undefined
    : or(sql`${memberRole(viewer)} is not null`, sql`${grantRole(viewer)} is not null`);
  const rows = await db
    .select({
      id: room.id,
      name: room.name,
      description: room.description,
      createdAt: room.createdAt,
      memberRole: memberRole(viewer),
      grantRole: grantRole(viewer),
    })
    .from(room)
    .where(visible)
    .orderBy(asc(room.name), asc(room.id));
  const organizations = await organizationsByRoom(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    role: strongerRole(row.memberRole, row.grantRole),
    organizations: organizations.get(row.id) ?? [],
  }));
}

/** The newest documents across the rooms a viewer may see, with their room's name. */
export async function listRecentDocuments(db: Queryable, viewer: Viewer, limit = 10) {
  const visible = viewer.isAdmin
    ? undefined
    : or(sql`${memberRole(viewer)} is not null`, sql`${grantRole(viewer)} is not null`);
  return db
    .select({ document, roomName: room.name })
    .from(document)
    .innerJoin(room, eq(room.id, document.roomId))
    .where(and(sql`${document.archivedAt} is null`, visible))
    .orderBy(sql`${document.updatedAt} desc`)
    .limit(limit);
}

/** One room in the API's shape, for a viewer who may see it. */
export async function getRoom(db: Queryable, roomId: string, viewer: Viewer): Promise<Room | undefined> {
  const found = await findRoomWithRole(db, roomId, viewer);
  if (!found) return undefined;
  const organizations = await organizationsByRoom(db, [roomId]);
  return {
    id: found.id,
    name: found.name,
    description: found.description,
    createdAt: found.createdAt.toISOString(),
    role: found.role,
    organizations: organizations.get(roomId) ?? [],
  };
}

/** Creates a room and makes its creator the owner, in one transaction. */
export async function createRoom(db: Queryable, values: { name: string; description?: string; ownerId: string }) {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(room)
      .values({ name: values.name, description: values.description ?? '', createdBy: values.ownerId })
      .returning({ id: room.id });
    await tx.insert(roomMember).values({ roomId: created!.id, userId: values.ownerId, role: 'owner' });
    return created!.id;
  });
}

/** Renames or re-describes a room. */
export async function updateRoom(db: Queryable, roomId: string, changes: { name?: string; description?: string }) {
  if (Object.keys(changes).length > 0) await db.update(room).set(changes).where(eq(room.id, roomId));
}

/** Members with their organisation and role. */
export function listMembers(db: Queryable, roomId: string) {
  return db
    .select({
      role: roomMember.role,
      user: { id: user.id, name: user.name, email: user.email },
      organization: { id: organization.id, code: organization.code, name: organization.name },
    })
    .from(roomMember)
    .innerJoin(user, eq(user.id, roomMember.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(roomMember.roomId, roomId))
    .orderBy(asc(user.name))
    .then((rows) => rows.map(({ role, user, organization }) => ({ role, user: { ...user, organization } })));
}

/** Sets a member's role (adding them if needed); returns the previous role. */
export async function setMember(db: Queryable, roomId: string, userId: string, role: RoomRole) {
  const [before] = await db
    .select({ role: roomMember.role })
    .from(roomMember)
    .where(and(eq(roomMember.roomId, roomId), eq(roomMember.userId, userId)));
  await db
    .insert(roomMember)
    .values({ roomId, userId, role })
    .onConflictDoUpdate({ target: [roomMember.roomId, roomMember.userId], set: { role } });
  return before?.role ?? null;
}

/** Removes a member; returns whether there was one. */
export async function removeMember(db: Queryable, roomId: string, userId: string) {
  const removed = await db
    .delete(roomMember)
    .where(and(eq(roomMember.roomId, roomId), eq(roomMember.userId, userId)))
    .returning({ userId: roomMember.userId });
  return removed.length > 0;
}

/** How many owners a room has; a room must keep at least one. */
export async function countOwners(db: Queryable, roomId: string) {
  const rows = await db
    .select({ userId: roomMember.userId })
    .from(roomMember)
    .where(and(eq(roomMember.roomId, roomId), eq(roomMember.role, 'owner')));
  return rows.length;
}

/** Organisation grants of a room. */
export function listGrants(db: Queryable, roomId: string) {
  return db
    .select({
      role: organizationGrant.role,
      organization: { id: organization.id, code: organization.code, name: organization.name },
    })
    .from(organizationGrant)
    .innerJoin(organization, eq(organization.id, organizationGrant.organizationId))
    .where(eq(organizationGrant.roomId, roomId))
    .orderBy(asc(organization.code));
}

/** Grants a whole organisation a role in a room. */
export async function setGrant(db: Queryable, roomId: string, organizationId: string, role: RoomRole) {
  await db
    .insert(organizationGrant)
    .values({ roomId, organizationId, role })
    .onConflictDoUpdate({ target: [organizationGrant.roomId, organizationGrant.organizationId], set: { role } });
}

/** Withdraws an organisation's grant; returns whether there was one. */
export async function removeGrant(db: Queryable, roomId: string, organizationId: string) {
  const removed = await db
    .delete(organizationGrant)
    .where(and(eq(organizationGrant.roomId, roomId), eq(organizationGrant.organizationId, organizationId)))
    .returning({ roomId: organizationGrant.roomId });
  return removed.length > 0;
}
