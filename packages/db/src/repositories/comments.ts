import type { Comment, MentionCandidate, SuggestionStatus, Thread, ThreadAnchor } from '@nordraum/domain';
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { comment, commentThread, organization, organizationGrant, roomMember, user } from '../schema.ts';

type Person = MentionCandidate;

async function peopleById(db: Queryable, ids: string[]): Promise<Map<string, Person>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: user.id, name: user.name, code: organization.code })
    .from(user)
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(inArray(user.id, unique));
  return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name, organization: { code: row.code } }]));
}

function toComment(row: typeof comment.$inferSelect, people: Map<string, Person>): Comment {
  return {
    id: row.id,
    threadId: row.threadId,
    author: row.authorId ? (people.get(row.authorId) ?? null) : null,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}

/** Threads with their comments in order, as the API shows them; all of a document or some by id. */
export async function loadThreads(db: Queryable, where: { documentId: string } | { threadIds: string[] }) {
  const condition =
    'documentId' in where
      ? eq(commentThread.documentId, where.documentId)
      : inArray(commentThread.id, where.threadIds.length ? where.threadIds : ['00000000-0000-0000-0000-000000000000']);
  const threads = await db.select().from(commentThread).where(condition).orderBy(asc(commentThread.createdAt));
  if (threads.length === 0) return [];
  const comments = await db
    .select()
    .from(comment)
    .where(
      inArray(
        comment.threadId,
        threads.map((t) => t.id),
      ),
    )
    .orderBy(asc(comment.createdAt), asc(comment.id));
  const people = await peopleById(db, [
    ...comments.flatMap((c) => (c.authorId ? [c.authorId] : [])),
    ...threads.flatMap((t) => [t.resolvedBy, t.suggestionDecidedBy, t.createdBy].filter((id) => id !== null)),
  ]);
  const personOf = (id: string | null) => (id ? (people.get(id) ?? null) : null);
  const byThread = Map.groupBy(comments, (c) => c.threadId);
  return threads.map(
    (t): Thread => ({
      id: t.id,
      documentId: t.documentId,
      anchor: t.anchor as ThreadAnchor,
      resolved: t.resolvedAt !== null,
      resolvedBy: personOf(t.resolvedBy),
      resolvedAt: t.resolvedAt?.toISOString() ?? null,
      createdAt: t.createdAt.toISOString(),
      comments: (byThread.get(t.id) ?? []).map((c) => toComment(c, people)),
      suggestion:
        t.suggestionText !== null && t.suggestionStatus !== null
          ? {
              text: t.suggestionText,
              status: t.suggestionStatus,
              author: personOf(t.createdBy),
              decidedBy: personOf(t.suggestionDecidedBy),
              decidedAt: t.suggestionDecidedAt?.toISOString() ?? null,
            }
          : null,
    }),
  );
}

/** One thread's row (for its document), or undefined. */
export async function findThread(db: Queryable, threadId: string) {
  const [row] = await db.select().from(commentThread).where(eq(commentThread.id, threadId));
  return row;
}

/** One comment with its thread's document, or undefined. */
export async function findComment(db: Queryable, commentId: string) {
  const [row] = await db
    .select({ comment, documentId: commentThread.documentId })
    .from(comment)
    .innerJoin(commentThread, eq(commentThread.id, comment.threadId))
    .where(eq(comment.id, commentId));
  return row;
}

/**
 * Takes the document's comment lock for the rest of the transaction and tells whether it holds
 * fewer than `maxComments`. Writers of one document count and insert one after the other, so
 * the cap is exact: counted without the lock, two requests at the cap both saw room and both wrote.
 */
async function roomForComment(tx: Queryable, documentId: string, maxComments: number): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('comments:' || ${documentId}::text))`);
  return (await countDocumentComments(tx, documentId)) < maxComments;
}

/**
 * Checks a comment must pass once the document has room for it, run in the writing transaction
 * (a mention check, the writer's rate limit): what they count is undone when the write is not
 * done, and what they throw refuses it.
 */
export type BeforeCommentWrite = (tx: Queryable) => Promise<void>;

/**
 * Opens a thread with its first comment (and a suggested change, if any), atomically; null, and
 * nothing written, when the document holds `maxComments` already. `beforeWrite` runs after that
 * check: a full document is refused first, whatever else the comment would be refused for.
 */
export async function createThread(
  db: Queryable,
  values: { documentId: string; anchor: ThreadAnchor; authorId: string; body: string; suggestion?: string },
  maxComments: number,
  beforeWrite?: BeforeCommentWrite,
) {
  return db.transaction(async (tx) => {
    if (!(await roomForComment(tx, values.documentId, maxComments))) return null;
    await beforeWrite?.(tx);
    const proposal =
      values.suggestion === undefined ? {} : { suggestionText: values.suggestion, suggestionStatus: 'open' as const };
    const [thread] = await tx
      .insert(commentThread)
      .values({ documentId: values.documentId, anchor: values.anchor, createdBy: values.authorId, ...proposal })
      .returning();
    const [first] = await tx
      .insert(comment)
      .values({ threadId: thread!.id, authorId: values.authorId, body: values.body })
      .returning();
    return { thread: thread!, comment: first! };
  });
}

/** How many comments the threads of a document hold. */
async function countDocumentComments(db: Queryable, documentId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(comment)
    .innerJoin(commentThread, eq(comment.threadId, commentThread.id))
    .where(eq(commentThread.documentId, documentId));
  return row?.n ?? 0;
}

/**
 * Adds a reply to a thread of `documentId`; null, and nothing written, when it holds `maxComments`
 * already. `beforeWrite` as for {@link createThread}.
 */
export async function addComment(
  db: Queryable,
  values: { documentId: string; threadId: string; authorId: string; body: string },
  maxComments: number,
  beforeWrite?: BeforeCommentWrite,
) {
  const { documentId, ...reply } = values;
  return db.transaction(async (tx) => {
    if (!(await roomForComment(tx, documentId, maxComments))) return null;
    await beforeWrite?.(tx);
    const [row] = await tx.insert(comment).values(reply).returning();
    return row!;
  });
}

/** Replaces a comment's text and marks it edited. */
export async function editComment(db: Queryable, commentId: string, body: string) {
  const [row] = await db
    .update(comment)
    .set({ body, editedAt: sql`now()` })
    .where(eq(comment.id, commentId))
    .returning();
  return row;
}

/** Deletes a comment; a thread left without comments goes with it. Returns whether it did. */
export async function deleteComment(db: Queryable, commentId: string, threadId: string) {
  return db.transaction(async (tx) => {
    await tx.delete(comment).where(eq(comment.id, commentId));
    const [left] = await tx.select({ n: count() }).from(comment).where(eq(comment.threadId, threadId));
    if ((left?.n ?? 0) > 0) return { threadDeleted: false };
    await tx.delete(commentThread).where(eq(commentThread.id, threadId));
    return { threadDeleted: true };
  });
}

/** Resolves a thread (by `userId`) or reopens it (`null`). */
export async function setThreadResolved(db: Queryable, threadId: string, userId: string | null) {
  await db
    .update(commentThread)
    .set(userId ? { resolvedAt: sql`now()`, resolvedBy: userId } : { resolvedAt: null, resolvedBy: null })
    .where(eq(commentThread.id, threadId));
}

/**
 * Decides an open suggested change (accepted or rejected by `userId`) and resolves its thread.
 * Only one decision wins: false when the suggestion was no longer open.
 */
export async function decideSuggestion(
  db: Queryable,
  threadId: string,
  status: Exclude<SuggestionStatus, 'open'>,
  userId: string,
): Promise<boolean> {
  const rows = await db
    .update(commentThread)
    .set({
      suggestionStatus: status,
      suggestionDecidedBy: userId,
      suggestionDecidedAt: sql`now()`,
      resolvedAt: sql`now()`,
      resolvedBy: userId,
    })
    .where(and(eq(commentThread.id, threadId), eq(commentThread.suggestionStatus, 'open')))
    .returning({ id: commentThread.id });
  return rows.length > 0;
}

/** Puts a decided suggestion back to open (its edit could not be stored) and reopens the thread. */
export async function reopenSuggestion(db: Queryable, threadId: string) {
  await db
    .update(commentThread)
    .set({
      suggestionStatus: 'open',
      suggestionDecidedBy: null,
      suggestionDecidedAt: null,
      resolvedAt: null,
      resolvedBy: null,
    })
    .where(eq(commentThread.id, threadId));
}

/** Everyone who wrote in a thread. */
export async function threadParticipants(db: Queryable, threadId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ authorId: comment.authorId })
    .from(comment)
    .where(eq(comment.threadId, threadId));
  return rows.flatMap((row) => (row.authorId ? [row.authorId] : []));
}

function readsRoom(roomId: string) {
  return and(
    isNull(user.disabledAt),
    or(
      sql`exists (select 1 from ${roomMember} where ${roomMember.roomId} = ${roomId} and ${roomMember.userId} = ${user.id})`,
      sql`exists (select 1 from ${organizationGrant} where ${organizationGrant.roomId} = ${roomId} and ${organizationGrant.organizationId} = ${user.organizationId})`,
    ),
  );
}

/**
 * Everyone who may read a room's documents (a member or of a granted organisation, any role,
 * not disabled), by name; at most `limit`.
 */
export async function listRoomReaders(db: Queryable, roomId: string, limit = 500): Promise<Person[]> {
  const rows = await db
    .select({ id: user.id, name: user.name, code: organization.code })
    .from(user)
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(readsRoom(roomId))
    .orderBy(asc(user.name), asc(user.id))
    .limit(limit);
  return rows.map((row) => ({ id: row.id, name: row.name, organization: { code: row.code } }));
}

/** Which of `userIds` may read the room. */
export async function filterRoomReaders(db: Queryable, roomId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ id: user.id })
    .from(user)
    .where(and(inArray(user.id, userIds), readsRoom(roomId)));
  return new Set(rows.map((row) => row.id));
}
