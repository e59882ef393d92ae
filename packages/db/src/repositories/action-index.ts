import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { actionIndex, document, organizationGrant, room, roomMember } from '../schema.ts';
import type { Viewer } from './rooms.ts';

/** One indexed action, as read from its action list. */
export interface IndexedAction {
  itemId: string;
  title: string;
  ownerId: string | null;
  organization: string | null;
  due: string | null;
  status: string;
  milestoneId: string | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A row as stored: whatever a client wrote, only a real user id owns an action, and text has no NUL bytes. */
function toRow(documentId: string, action: IndexedAction) {
  return {
    documentId,
    ...action,
    ownerId: action.ownerId && uuid.test(action.ownerId) ? action.ownerId : null,
    title: action.title.replaceAll('\u0000', ''),
  };
}

/** Replaces a document's rows in the index with what the document holds now, atomically. */
export async function replaceActionIndex(db: Queryable, documentId: string, actions: IndexedAction[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(actionIndex).where(eq(actionIndex.documentId, documentId));
    if (actions.length === 0) return;
    await tx.insert(actionIndex).values(actions.map((action) => toRow(documentId, action)));
  });
}

/** Writes only what changed in a document's rows since the last write: new or changed, removed. */
export async function updateActionIndex(
  db: Queryable,
  documentId: string,
  changed: IndexedAction[],
  removed: string[],
): Promise<void> {
  if (changed.length === 0 && removed.length === 0) return;
  await db.transaction(async (tx) => {
    if (removed.length > 0) {
      await tx
        .delete(actionIndex)
        .where(and(eq(actionIndex.documentId, documentId), inArray(actionIndex.itemId, removed)));
    }
    if (changed.length === 0) return;
    await tx
      .insert(actionIndex)
      .values(changed.map((action) => toRow(documentId, action)))
      .onConflictDoUpdate({
        target: [actionIndex.documentId, actionIndex.itemId],
        set: {
          title: sql`excluded.title`,
          ownerId: sql`excluded.owner_id`,
          organization: sql`excluded.organization`,
          due: sql`excluded.due`,
          status: sql`excluded.status`,
          milestoneId: sql`excluded.milestone_id`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  });
}

/** Open actions owned by the viewer, in rooms they may read, soonest due first. */
export function listMyActions(db: Queryable, viewer: Viewer) {
  const member = sql`exists (select 1 from ${roomMember} where ${roomMember.roomId} = ${room.id} and ${roomMember.userId} = ${viewer.userId})`;
  const granted = sql`exists (select 1 from ${organizationGrant} where ${organizationGrant.roomId} = ${room.id} and ${organizationGrant.organizationId} = ${viewer.organizationId})`;
  return db
    .select({
      documentId: actionIndex.documentId,
      itemId: actionIndex.itemId,
      title: actionIndex.title,
      organization: actionIndex.organization,
      due: actionIndex.due,
      status: actionIndex.status,
      documentTitle: document.title,
      roomId: room.id,
      roomName: room.name,
    })
    .from(actionIndex)
    .innerJoin(document, eq(document.id, actionIndex.documentId))
    .innerJoin(room, eq(room.id, document.roomId))
    .where(
      and(
        eq(actionIndex.ownerId, viewer.userId),
        ne(actionIndex.status, 'done'),
        sql`${document.archivedAt} is null`,
        or(member, granted),
      ),
    )
    .orderBy(sql`${actionIndex.due} asc nulls last`, asc(actionIndex.title));
}

/** Ids of every document of the given kinds (for rebuilding the index). */
export async function listDocumentIdsOfKind(db: Queryable, kinds: ('notes' | 'roadmap' | 'actions')[]) {
  const rows = await db.select({ id: document.id }).from(document).where(inArray(document.kind, kinds));
  return rows.map((row) => row.id);
}
