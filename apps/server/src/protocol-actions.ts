import { type Database, documentsInRoom, listMembers } from '@nordraum/db';
import {
  AppError,
  actionListOf,
  followUpUpdate,
  type NotesBlock,
  planProtocolActions,
  protocolActionRows,
} from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';

/**
 * A protocol's actions into an action list of its room (see packages/domain protocol-actions.ts):
 * planned against the room's members, then written as one server edit through the sync server,
 * so every client that has the list open sees them arrive, exactly like a person's edit. An
 * action whose title the list already holds is not added again, so doing it twice is harmless.
 */

/** The protocol's actions, ready for an action list of `roomId`. */
export async function planForRoom(db: Database, roomId: string, blocks: NotesBlock[]) {
  const people = (await listMembers(db, roomId)).map((member) => member.user);
  return planProtocolActions(protocolActionRows(blocks), people);
}

/** 400 unless `listId` is an action list of `roomId` that is not archived. */
export async function checkActionList(db: Database, roomId: string, listId: string, field = 'listId') {
  const list = (await documentsInRoom(db, roomId, [listId])).get(listId);
  if (list?.kind !== 'actions' || list.archived) {
    throw new AppError('validation_failed', 'Not an action list of this room.', {
      fields: { [field]: 'not an action list of this room' },
    });
  }
}

const titleKey = (title: string) => title.trim().toLowerCase();

/** Adds the protocol's actions to list `listId` (checked before) as `userId`; what was added and skipped. */
export async function transferActions(
  db: Database,
  sync: SyncServer,
  options: { roomId: string; listId: string; blocks: NotesBlock[]; userId: string },
) {
  const planned = await planForRoom(db, options.roomId, options.blocks);
  const edit = await sync.readDocument(options.listId, (doc) => {
    const present = new Set(
      actionListOf(doc)
        .items()
        .map((item) => titleKey(item.title)),
    );
    const fresh = planned.filter((action) => !present.has(titleKey(action.title)));
    return fresh.length > 0 ? followUpUpdate(doc, fresh) : { update: null, itemIds: [] };
  });
  if (edit.update) await sync.commitServerUpdate(options.listId, edit.update, options.userId);
  return { listId: options.listId, itemIds: edit.itemIds, skipped: planned.length - edit.itemIds.length };
}
