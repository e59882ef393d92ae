import { findSessionForDocument } from '@nordraum/auth';
import { type Database, filterRoomReaders, findUserById, type Queryable } from '@nordraum/db';
import {
  AppError,
  can,
  type DocumentKind,
  isRelativePosition,
  mentionedUserIds,
  type ThreadAnchor,
} from '@nordraum/domain';
import type { LiveStream } from '../live/hub.ts';

const noDocument = '00000000-0000-0000-0000-000000000000';

/**
 * Whether a live stream may still receive: its session is valid (not logged out, expired or
 * disabled) and, for a document's stream, its person may still read the document's comments.
 */
export function liveAccessCheck(db: Database) {
  return async (stream: LiveStream): Promise<boolean> => {
    const found = await findSessionForDocument(db, stream.sessionId, stream.documentId ?? noDocument);
    if (!found) return false;
    if (!stream.documentId) return true;
    return can({ isAdmin: found.user.isAdmin, roomRole: found.document.role }, 'comment.read');
  };
}

const anchorsByKind: Record<DocumentKind, ThreadAnchor['type'][]> = {
  notes: ['document', 'text'],
  roadmap: ['document', 'milestone'],
  actions: ['document', 'action'],
};

/** Refuses an anchor the document's kind does not have, or a text range that does not decode. */
export function checkAnchor(kind: DocumentKind, anchor: ThreadAnchor) {
  if (!anchorsByKind[kind].includes(anchor.type)) {
    throw new AppError('validation_failed', `A ${kind} document has no ${anchor.type} anchors.`, {
      fields: { 'anchor.type': `one of ${anchorsByKind[kind].join(', ')}` },
    });
  }
  if (anchor.type !== 'text') return;
  for (const side of ['start', 'end'] as const) {
    if (!isRelativePosition(anchor[side])) {
      throw new AppError('validation_failed', 'The passage is not a Yjs relative position.', {
        fields: { [`anchor.${side}`]: 'must be base64 of Y.encodeRelativePosition' },
      });
    }
  }
}

/**
 * The people a body mentions, all of whom may read the room; anyone else is refused with 422: a
 * mention never turns into access, and silently dropping it would mislead the writer.
 */
export async function checkMentions(db: Queryable, roomId: string, body: string): Promise<string[]> {
  const mentioned = mentionedUserIds(body);
  if (mentioned.length > 50) {
    throw new AppError('validation_failed', 'At most 50 people can be mentioned in one comment.', {
      fields: { body: 'at most 50 mentions' },
    });
  }
  const readers = await filterRoomReaders(db, roomId, mentioned);
  const outsiders = mentioned.filter((id) => !readers.has(id));
  if (outsiders.length === 0) return mentioned;
  const names = await Promise.all(outsiders.map(async (id) => (await findUserById(db, id))?.name ?? 'unknown person'));
  const message = `${names.join(', ')} cannot read this document; a mention does not give access. Remove the mention, or ask an owner of the room to add them.`;
  throw new AppError('mention_refused', message, { fields: { body: message } });
}
