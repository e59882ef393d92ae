import {
  type Database,
  filterRoomReaders,
  insertNotifications,
  type NewNotification,
  threadParticipants,
} from '@nordraum/db';
import { plainBody } from '@nordraum/domain';

/** What a comment's notifications need to know about where it was written. */
export interface CommentContext {
  actorId: string;
  roomId: string;
  roomName: string;
  documentId: string;
  documentTitle: string;
  threadId: string;
  commentId: string;
  body: string;
}

const excerptLength = 300;

/**
 * Notifies the people a comment mentions and, for a reply, everyone else who wrote in the thread
 * (a mention wins over a reply: one notification per person and comment). Never the writer.
 * Keyed by comment and person, so an edit notifies only people it newly mentions.
 */
export async function notifyComment(
  db: Database,
  context: CommentContext,
  mentioned: string[],
  options: { reply: boolean },
) {
  const text = plainBody(context.body);
  const data = {
    roomName: context.roomName,
    documentTitle: context.documentTitle,
    excerpt: text.length > excerptLength ? `${text.slice(0, excerptLength - 1)}…` : text,
  };
  const base = {
    actorId: context.actorId,
    roomId: context.roomId,
    documentId: context.documentId,
    threadId: context.threadId,
    data,
    dedupeKey: `comment:${context.commentId}`,
  };
  const rows: NewNotification[] = mentioned.map((userId) => ({ ...base, userId, kind: 'mention' }));
  if (options.reply) {
    const participants = await threadParticipants(db, context.threadId);
    for (const userId of participants) {
      if (!mentioned.includes(userId)) rows.push({ ...base, userId, kind: 'reply' });
    }
  }
  // A participant may have lost the room since: nothing of it reaches them any more.
  const readers = await filterRoomReaders(
    db,
    context.roomId,
    rows.map((row) => row.userId),
  );
  return insertNotifications(
    db,
    rows.filter((row) => readers.has(row.userId)),
  );
}

/** Tells a person they were added to a room (not when they added themselves). */
export function notifyRoomAdded(
  db: Database,
  added: { roomId: string; roomName: string; userId: string; actorId: string },
) {
  return insertNotifications(db, [
    {
      userId: added.userId,
      kind: 'room_added',
      actorId: added.actorId,
      roomId: added.roomId,
      data: { roomName: added.roomName },
    },
  ]);
}

/**
 * Tells the author of a suggested change that it was accepted or rejected (not when they decided
 * it themselves, as by withdrawing it, and not once they can no longer read the room).
 */
export async function notifySuggestionDecided(
  db: Database,
  decided: {
    actorId: string;
    authorId: string | null;
    room: { id: string; name: string };
    document: { id: string; title: string };
    threadId: string;
    text: string;
    outcome: 'accepted' | 'rejected';
  },
) {
  const { authorId } = decided;
  if (!authorId || !(await filterRoomReaders(db, decided.room.id, [authorId])).has(authorId)) return 0;
  const text = decided.text;
  return insertNotifications(db, [
    {
      userId: authorId,
      kind: 'suggestion_decided',
      actorId: decided.actorId,
      roomId: decided.room.id,
      documentId: decided.document.id,
      threadId: decided.threadId,
      data: {
        roomName: decided.room.name,
        documentTitle: decided.document.title,
        excerpt: text.length > excerptLength ? `${text.slice(0, excerptLength - 1)}…` : text,
        outcome: decided.outcome,
      },
      dedupeKey: `suggestion-${decided.outcome}:${decided.threadId}`,
    },
  ]);
}
