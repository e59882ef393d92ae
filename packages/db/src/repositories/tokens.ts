import type { Invitation, RoomRole } from '@nordraum/domain';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { oneTimeToken, organization, room } from '../schema.ts';

/** What a one-time link grants. */
export interface TokenValues {
  kind: 'invitation' | 'password_reset';
  tokenHash: Uint8Array;
  email: string;
  name?: string | null;
  organizationId?: string | null;
  roomId?: string | null;
  role?: RoomRole | null;
  userId?: string | null;
  createdBy: string | null;
  expiresAt: Date;
}

/** Stores a one-time token (its hash). */
export async function createToken(db: Queryable, values: TokenValues) {
  const [row] = await db.insert(oneTimeToken).values(values).returning({ id: oneTimeToken.id });
  return row!.id;
}

const invitationColumns = {
  id: oneTimeToken.id,
  email: oneTimeToken.email,
  name: oneTimeToken.name,
  role: oneTimeToken.role,
  expiresAt: oneTimeToken.expiresAt,
  userId: oneTimeToken.userId,
  organizationId: oneTimeToken.organizationId,
  organizationCode: organization.code,
  organizationName: organization.name,
  roomId: room.id,
  roomName: room.name,
};

type InvitationRow = {
  id: string;
  email: string;
  name: string | null;
  role: RoomRole | null;
  expiresAt: Date;
  organizationId: string | null;
  organizationCode: string | null;
  organizationName: string | null;
  roomId: string | null;
  roomName: string | null;
};

/** The API's view of an invitation. */
export function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organization: { id: row.organizationId ?? '', code: row.organizationCode ?? '', name: row.organizationName ?? '' },
    room: row.roomId ? { id: row.roomId, name: row.roomName ?? '' } : null,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
  };
}

function selectTokens(db: Queryable) {
  return db
    .select(invitationColumns)
    .from(oneTimeToken)
    .leftJoin(organization, eq(organization.id, oneTimeToken.organizationId))
    .leftJoin(room, eq(room.id, oneTimeToken.roomId));
}

const usable = (kind: TokenValues['kind']) =>
  and(eq(oneTimeToken.kind, kind), isNull(oneTimeToken.usedAt), gt(oneTimeToken.expiresAt, sql`now()`));

/** An unused, unexpired token by its hash. */
export async function findUsableToken(db: Queryable, kind: TokenValues['kind'], tokenHash: Uint8Array) {
  const [row] = await selectTokens(db).where(and(usable(kind), eq(oneTimeToken.tokenHash, tokenHash)));
  return row;
}

/** Marks a token used; false when it was used (or expired) meanwhile, so each link works once. */
export async function consumeToken(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .update(oneTimeToken)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeToken.id, id), isNull(oneTimeToken.usedAt), gt(oneTimeToken.expiresAt, sql`now()`)))
    .returning({ id: oneTimeToken.id });
  return rows.length > 0;
}

/** Open invitations, newest first. */
export function listOpenInvitations(db: Queryable, roomId?: string) {
  const where = roomId ? and(usable('invitation'), eq(oneTimeToken.roomId, roomId)) : usable('invitation');
  return selectTokens(db).where(where).orderBy(desc(oneTimeToken.createdAt));
}

/** One invitation by id (used or not). */
export async function findInvitation(db: Queryable, id: string) {
  const [row] = await selectTokens(db).where(and(eq(oneTimeToken.id, id), eq(oneTimeToken.kind, 'invitation')));
  return row;
}

/** Withdraws an invitation; returns whether there was one. */
export async function deleteInvitation(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .delete(oneTimeToken)
    .where(and(eq(oneTimeToken.id, id), eq(oneTimeToken.kind, 'invitation')))
    .returning({ id: oneTimeToken.id });
  return rows.length > 0;
}
