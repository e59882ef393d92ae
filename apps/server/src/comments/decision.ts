import type { Context } from 'hono';
import { audit } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { requireSession } from '../http/session.ts';
import { notifySuggestionDecided } from './notify.ts';

/** A thread with a suggested change, its document and room, as the routes find them. */
interface Decided {
  thread: { id: string; documentId: string; createdBy: string | null; suggestionText: string | null };
  document: { id: string; title: string };
  room: { id: string; name: string };
}

/**
 * What follows a decision the database has taken (`decideSuggestion`): the audit entry, the
 * author's notification (none for their own withdrawal) and the live event. `withdrawn` when the
 * author took it back by resolving its thread.
 */
export async function recordDecision(
  { db, live }: Pick<AppDependencies, 'db' | 'live'>,
  c: Context<AppEnv>,
  { thread, document, room }: Decided,
  status: 'accepted' | 'rejected',
  withdrawn = false,
) {
  await audit(db, c, {
    action: status === 'accepted' ? 'comment.suggestion.accept' : 'comment.suggestion.reject',
    targetType: 'comment_thread',
    targetId: thread.id,
    roomId: room.id,
    details: { documentId: thread.documentId, authorId: thread.createdBy, ...(withdrawn ? { withdrawn } : {}) },
  });
  await notifySuggestionDecided(db, {
    actorId: requireSession(c).user.id,
    authorId: thread.createdBy,
    room,
    document,
    threadId: thread.id,
    text: thread.suggestionText ?? '',
    outcome: status,
  });
  await live?.publish({ kind: 'thread', documentId: thread.documentId, threadId: thread.id });
}
