import { getConnInfo } from '@hono/node-server/conninfo';
import type { ValidSession } from '@nordraum/auth';
import { type AuditRecord, type Database, findDocument, findRoomWithRole, writeAudit } from '@nordraum/db';
import { type Action, AppError, can } from '@nordraum/domain';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

const viewerOf = (session: ValidSession) => ({
  userId: session.user.id,
  organizationId: session.user.organization.id,
  isAdmin: session.user.isAdmin,
});

/**
 * Loads a room and checks `action` through the permission matrix. A room the user may not even see
 * answers 404, so room ids do not leak; a visible room with too weak a role answers 403.
 */
export async function authorizeRoom(db: Database, session: ValidSession, roomId: string, action: Action) {
  const room = await findRoomWithRole(db, roomId, viewerOf(session));
  const principal = { isAdmin: session.user.isAdmin, roomRole: room?.role ?? null };
  if (!room || !can(principal, 'room.view')) throw new AppError('not_found', 'Room not found.');
  if (!can(principal, action)) throw new AppError('forbidden', 'Your role in this room does not allow this.');
  return room;
}

/** Loads a document and checks `action` on its room, with the same 404/403 rule. */
export async function authorizeDocument(db: Database, session: ValidSession, documentId: string, action: Action) {
  const document = await findDocument(db, documentId);
  if (!document) throw new AppError('not_found', 'Document not found.');
  try {
    const room = await authorizeRoom(db, session, document.roomId, action);
    return { document, room };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw new AppError('not_found', 'Document not found.');
    }
    throw error;
  }
}

/** The caller's address as the socket sees it. */
export function clientAddress(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** Writes an audit row for the current request: actor and address are filled in. */
export function audit(db: Database, c: Context<AppEnv>, record: Omit<AuditRecord, 'ip'>) {
  const session = c.var.session;
  return writeAudit(db, {
    actorId: session?.user.id ?? null,
    actorEmail: session?.user.email ?? null,
    ip: clientAddress(c),
    ...record,
  });
}

export { viewerOf };
