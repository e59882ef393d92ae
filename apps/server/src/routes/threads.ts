import { commentWriteWait, defaultCommentLimits, type ValidSession } from '@nordraum/auth';
import {
  addComment,
  countUnread,
  createThread,
  type Database,
  decideSuggestion,
  deleteComment,
  editComment,
  findComment,
  findThread,
  listRoomReaders,
  loadThreads,
  type Queryable,
  setThreadResolved,
} from '@nordraum/db';
import { type Action, AppError, can, commentSchemas, maxDocumentComments, schemas } from '@nordraum/domain';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { checkAnchor, checkMentions } from '../comments/access.ts';
import { recordDecision } from '../comments/decision.ts';
import { notifyComment } from '../comments/notify.ts';
import { checkSuggestion } from '../comments/suggestions.ts';
import { audit, authorizeDocument } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import type { LiveEvent } from '../live/hub.ts';
import { type SentEvent, serveLiveStream } from '../live/sse.ts';
import { versionEvent } from './versions.ts';

const threadResponse = z.object({ thread: commentSchemas.thread });
const commentResponse = z.object({ comment: commentSchemas.comment });
const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
// Comment writes: 422 for a mention of someone who may not read, 429 past the writer's rate limit.
const refused = { ...denied, 422: schemas.errorBody, 429: schemas.errorBody };
/** The cap as the route descriptions state it ("5,000"), so they follow the constant. */
const capWords = `${maxDocumentComments.toLocaleString('en-GB')} comments`;

/** A thread and its document and room, once the caller may do `action` there. */
export async function threadOf(db: Database, session: ValidSession, threadId: string, action: Action) {
  const thread = await findThread(db, threadId);
  if (!thread) throw new AppError('not_found', 'Thread not found.');
  return { thread, ...(await authorizeDocument(db, session, thread.documentId, action)) };
}

async function commentOf(db: Database, session: ValidSession, commentId: string, action: Action) {
  const found = await findComment(db, commentId);
  if (!found) throw new AppError('not_found', 'Comment not found.');
  return { ...found, ...(await authorizeDocument(db, session, found.documentId, action)) };
}

/** The answer to a new comment on a document that holds {@link maxDocumentComments} already. */
function documentFull(): never {
  throw new AppError(
    'conflict',
    `This document holds ${maxDocumentComments} comments, as many as it takes; delete some to write more.`,
  );
}

/** A thread as the API shows it. */
export async function oneThread(db: Database, threadId: string) {
  const [thread] = await loadThreads(db, { threadIds: [threadId] });
  if (!thread) throw new AppError('not_found', 'Thread not found.');
  return thread;
}

/**
 * Comment threads on documents: list, open, reply, edit, delete, resolve; and the document's live
 * stream of thread changes (server-sent events). Comments follow the document's access: every
 * request and every live event is checked against the room role (`comment.*` in permissions.ts).
 */
export function threadRoutes({ db, live, sync, allowedOrigins, commentLimits }: AppDependencies) {
  const app = new Hono<AppEnv>();
  /**
   * Counts a comment the person writes; 429 with Retry-After past their limit (comment-throttle.ts).
   * Called last before the write, in its transaction where there is one, so that only comments
   * written are counted.
   */
  const countWrite = async (tx: Queryable, session: ValidSession) => {
    const wait = await commentWriteWait(tx, session.user.id, commentLimits ?? defaultCommentLimits);
    if (wait > 0) {
      throw new AppError('rate_limited', 'Too many comments in a short time; please wait before writing more.', {
        retryAfterSeconds: wait,
      });
    }
  };
  // One event is loaded once, however many streams on this instance receive it.
  const renderings = new WeakMap<LiveEvent, Promise<SentEvent>>();
  const rendered = (event: LiveEvent & { kind: 'thread' }) => {
    let message = renderings.get(event);
    if (!message) {
      message = event.deleted
        ? Promise.resolve({ event: 'thread-deleted', data: { id: event.threadId } })
        : loadThreads(db, { threadIds: [event.threadId] }).then(([thread]) =>
            thread ? { event: 'thread', data: { thread } } : { event: 'thread-deleted', data: { id: event.threadId } },
          );
      renderings.set(event, message);
    }
    return message;
  };
  const renderedVersion = versionEvent(db);
  const changed = (documentId: string, threadId: string, deleted = false) =>
    live?.publish({ kind: 'thread', documentId, threadId, ...(deleted ? { deleted } : {}) });

  app.get(
    '/documents/:documentId/threads',
    describe("A document's comment threads, oldest first", 'comments', {
      200: z.object({ threads: z.array(commentSchemas.thread) }),
      ...denied,
    }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      await authorizeDocument(db, session, documentId, 'comment.read');
      return c.json({ threads: await loadThreads(db, { documentId }) }, 200);
    },
  );

  app.post(
    '/documents/:documentId/threads',
    describe(
      `Open a thread. anchor: { type: "document" } | { type: "milestone", milestoneId } | { type: "action", actionId } | for notes { type: "text", start, end, quote }, start/end being base64 of Y.encodeRelativePosition against the notes XmlFragment. suggestion: { text } proposes text in place of a passage inside one paragraph (commenters may propose; editors and owners decide). Mentions are written @[Name](userId); 422 when someone mentioned cannot read the document; 409 passage_pending when a suggestion's passage was written by edits the server has not committed yet (send again once synchronised), 400 when it is gone; 409 conflict when the document holds ${capWords}; 429 with Retry-After when the writer wrote too many comments in a short time`,
      'comments',
      { 201: threadResponse, ...refused, 409: schemas.errorBody },
    ),
    valid('param', schemas.documentIdParam),
    valid('json', commentSchemas.createThreadBody),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      const { body, anchor, suggestion } = c.req.valid('json');
      const { document, room } = await authorizeDocument(db, session, documentId, 'comment.write');
      checkAnchor(document.kind, anchor);
      if (suggestion) await checkSuggestion(sync, documentId, anchor);
      let mentioned: string[] = [];
      // A full document is refused before a mention or the rate limit: nothing else helps then.
      const created = await createThread(
        db,
        { documentId, anchor, authorId: session.user.id, body, suggestion: suggestion?.text },
        maxDocumentComments,
        async (tx) => {
          mentioned = await checkMentions(tx, room.id, body);
          await countWrite(tx, session);
        },
      );
      if (!created) documentFull();
      await notifyComment(
        db,
        context(session, room, document, created.thread.id, created.comment.id, body),
        mentioned,
        {
          reply: false,
        },
      );
      await changed(documentId, created.thread.id);
      return c.json({ thread: await oneThread(db, created.thread.id) }, 201);
    },
  );

  app.post(
    '/threads/:threadId/comments',
    describe(
      `Reply in a thread (mentions as when opening one; 409 when the document holds ${capWords}; 429 as when opening one)`,
      'comments',
      {
        201: commentResponse,
        ...refused,
        409: schemas.errorBody,
      },
    ),
    valid('param', commentSchemas.threadIdParam),
    valid('json', commentSchemas.createCommentBody),
    async (c) => {
      const session = requireSession(c);
      const { threadId } = c.req.valid('param');
      const { body } = c.req.valid('json');
      const { thread, document, room } = await threadOf(db, session, threadId, 'comment.write');
      let mentioned: string[] = [];
      const row = await addComment(
        db,
        { documentId: thread.documentId, threadId, authorId: session.user.id, body },
        maxDocumentComments,
        async (tx) => {
          mentioned = await checkMentions(tx, room.id, body);
          await countWrite(tx, session);
        },
      );
      if (!row) documentFull();
      await notifyComment(db, context(session, room, document, threadId, row.id, body), mentioned, { reply: true });
      await changed(thread.documentId, threadId);
      const shown = (await oneThread(db, threadId)).comments.find((comment) => comment.id === row.id)!;
      return c.json({ comment: shown }, 201);
    },
  );

  app.patch(
    '/comments/:id',
    describe('Edit one of your own comments; it then shows as edited', 'comments', {
      200: commentResponse,
      ...refused,
    }),
    valid('param', commentSchemas.commentIdParam),
    valid('json', commentSchemas.createCommentBody),
    async (c) => {
      const session = requireSession(c);
      const { id } = c.req.valid('param');
      const { body } = c.req.valid('json');
      const found = await commentOf(db, session, id, 'comment.write');
      if (found.comment.authorId !== session.user.id) {
        throw new AppError('forbidden', 'Only its author may edit a comment.');
      }
      const mentioned = await checkMentions(db, found.room.id, body);
      await countWrite(db, session);
      await editComment(db, id, body);
      const threadId = found.comment.threadId;
      await notifyComment(db, context(session, found.room, found.document, threadId, id, body), mentioned, {
        reply: false,
      });
      await changed(found.documentId, threadId);
      const shown = (await oneThread(db, threadId)).comments.find((comment) => comment.id === id)!;
      return c.json({ comment: shown }, 200);
    },
  );

  app.delete(
    '/comments/:id',
    describe(
      'Delete a comment: your own, or as an owner of the room any (audited). A thread without comments goes with it',
      'comments',
      { 204: null, ...denied },
    ),
    valid('param', commentSchemas.commentIdParam),
    async (c) => {
      const session = requireSession(c);
      const { id } = c.req.valid('param');
      const found = await commentOf(db, session, id, 'comment.read');
      const own = found.comment.authorId === session.user.id;
      const principal = { isAdmin: session.user.isAdmin, roomRole: found.room.role };
      if (!can(principal, own ? 'comment.write' : 'comment.moderate')) {
        throw new AppError(
          'forbidden',
          own ? 'Your role does not allow comments.' : 'Only room owners may delete others’ comments.',
        );
      }
      const threadId = found.comment.threadId;
      const { threadDeleted } = await deleteComment(db, id, threadId);
      if (!own) {
        await audit(db, c, {
          action: 'comment.delete',
          targetType: 'comment',
          targetId: id,
          roomId: found.room.id,
          details: { documentId: found.documentId, threadId, authorId: found.comment.authorId },
        });
      }
      await changed(found.documentId, threadId, threadDeleted);
      return c.body(null, 204);
    },
  );

  app.patch(
    '/threads/:threadId',
    describe(
      'Resolve or reopen a thread. Resolving a thread with an open suggested change decides it: its author withdraws it, an editor or owner rejects it (as the reject route); other commenters get 403',
      'comments',
      { 200: threadResponse, ...denied, 409: schemas.errorBody },
    ),
    valid('param', commentSchemas.threadIdParam),
    valid('json', commentSchemas.updateThreadBody),
    async (c) => {
      const session = requireSession(c);
      const { threadId } = c.req.valid('param');
      const found = await threadOf(db, session, threadId, 'comment.write');
      const { thread, room } = found;
      const resolving = c.req.valid('json').resolved;
      if (resolving && thread.suggestionStatus === 'open') {
        // A resolved thread with a suggestion still open would leave the proposal standing unseen.
        const withdrawn = thread.createdBy === session.user.id;
        if (!withdrawn && !can({ isAdmin: session.user.isAdmin, roomRole: room.role }, 'document.write')) {
          throw new AppError(
            'forbidden',
            'Only editors and owners decide on a suggested change; its author may withdraw it.',
          );
        }
        if (!(await decideSuggestion(db, threadId, 'rejected', session.user.id))) {
          throw new AppError('conflict', 'The suggestion has been decided already.');
        }
        await recordDecision({ db, live }, c, found, 'rejected', withdrawn);
        return c.json({ thread: await oneThread(db, threadId) }, 200);
      }
      await setThreadResolved(db, threadId, resolving ? session.user.id : null);
      await changed(thread.documentId, threadId);
      return c.json({ thread: await oneThread(db, threadId) }, 200);
    },
  );

  app.get(
    '/documents/:documentId/mention-candidates',
    describe('The people a comment on this document may mention: everyone who may read it', 'comments', {
      200: z.object({ people: z.array(commentSchemas.mentionCandidate) }),
      ...denied,
    }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const session = requireSession(c);
      const { room } = await authorizeDocument(db, session, c.req.valid('param').documentId, 'comment.write');
      return c.json({ people: await listRoomReaders(db, room.id) }, 200);
    },
  );

  app.get(
    '/documents/:documentId/events',
    describe(
      'Server-sent events of the document: "threads" (all, first), "thread" (one changed), "thread-deleted" ({ id }), "version" ({ version }: one written), "versions" ({}: some thinned away, read the list again), "unread" ({ unread }: the caller\'s unread notifications, first and whenever it changes, so a tab needs no second stream), "end" (access lost; the stream closes)',
      'comments',
      { 200: null, ...denied, 429: schemas.errorBody },
    ),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const session = requireSession(c);
      checkOrigin(c, allowedOrigins);
      const { documentId } = c.req.valid('param');
      const { room } = await authorizeDocument(db, session, documentId, 'comment.read');
      if (!live) throw new AppError('internal', 'Live events are not served by this server.');
      const unread = async () => ({ event: 'unread', data: { unread: await countUnread(db, session.user.id) } });
      return serveLiveStream(c, {
        hub: live,
        who: {
          sessionId: session.id,
          userId: session.user.id,
          organizationId: session.user.organization.id,
          documentId,
          roomId: room.id,
        },
        initial: async () => [
          { event: 'threads', data: { threads: await loadThreads(db, { documentId }) } },
          await unread(),
        ],
        render: (event) =>
          event.kind === 'thread' ? rendered(event) : event.kind === 'version' ? renderedVersion(event) : unread(),
      });
    },
  );

  return app;
}

/** A browser names the page's origin on an EventSource request; a foreign one is refused. */
export function checkOrigin(c: Context<AppEnv>, allowedOrigins: string[]) {
  const origin = c.req.header('origin');
  if (origin !== undefined && !allowedOrigins.includes(origin)) {
    throw new AppError('forbidden', 'Requests from other sites are not accepted.');
  }
}

function context(
  session: ValidSession,
  room: { id: string; name: string },
  document: { id: string; title: string },
  threadId: string,
  commentId: string,
  body: string,
) {
  return {
    actorId: session.user.id,
    roomId: room.id,
    roomName: room.name,
    documentId: document.id,
    documentTitle: document.title,
    threadId,
    commentId,
    body,
  };
}
