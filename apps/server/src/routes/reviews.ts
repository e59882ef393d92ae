import type { ValidSession } from '@nordraum/auth';
import {
  berlinToday,
  closeReview,
  copyVersion,
  createReview,
  createVersion,
  type Database,
  filterRoomReaders,
  findReview,
  findRoomWithRole,
  findUserById,
  findVersion,
  insertNotifications,
  listVersions,
  loadReviews,
  lockOpenReview,
  type Queryable,
  readVersionState,
  reviewAnswers,
  setAnswer,
  writeAudit,
} from '@nordraum/db';
import { AppError, can, compareStates, reviewSchemas, schemas } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import { type Context, Hono } from 'hono';
import { auditRecord, authorizeDocument, viewerOf } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { type Closer, notifyDecided, settleReview } from '../reviews/outcome.ts';
import { withOwnerNames } from './versions.ts';

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
const refused = { ...denied, 409: schemas.errorBody };

function inTransaction<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

const closerOf = (c: Context<AppEnv>, session: ValidSession): Closer => ({
  actorId: session.user.id,
  record: (input) => auditRecord(c, input),
});

async function shownReview(db: Queryable, reviewId: string) {
  const [review] = await loadReviews(db, { reviewIds: [reviewId] });
  if (!review) throw new AppError('not_found', 'Review not found.');
  return review;
}

/** What a review's routes ask of the reader on its document (permissions.ts). */
type Needed = 'document.read' | 'document.review.request';

/** A review and its document, for someone with the `needed` permission on the document (404/403 as for documents). */
async function reviewFor(db: Database, session: ValidSession, reviewId: string, needed: Needed) {
  const found = await findReview(db, reviewId);
  if (!found) throw new AppError('not_found', 'Review not found.');
  try {
    return { ...found, ...(await authorizeDocument(db, session, found.review.documentId, needed)) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw new AppError('not_found', 'Review not found.');
    throw error;
  }
}

async function mayRead(db: Database, session: ValidSession, roomId: string) {
  const room = await findRoomWithRole(db, roomId, viewerOf(session));
  return can({ isAdmin: session.user.isAdmin, roomRole: room?.role ?? null }, 'document.read');
}

/** Refuses reviewers who cannot read the room, with their names: a review never turns into access. */
async function checkReviewers(db: Database, roomId: string, body: reviewSchemas.CreateReviewBody) {
  const ids = [...new Set(body.reviewerIds)];
  const readers = await filterRoomReaders(db, roomId, ids);
  const outsiders = ids.filter((id) => !readers.has(id));
  if (outsiders.length > 0) {
    const names = await Promise.all(
      outsiders.map(async (id) => (await findUserById(db, id))?.name ?? 'unknown person'),
    );
    const message = `${names.join(', ')} cannot read this document. Reviewers must be able to read it: ask an owner of the room to add them first.`;
    throw new AppError('validation_failed', message, { fields: { reviewerIds: message } });
  }
  if (body.dueDate && body.dueDate < (await berlinToday(db))) {
    throw new AppError('validation_failed', 'The due date lies in the past.', {
      fields: { dueDate: 'must be today or later' },
    });
  }
  if (body.required !== undefined && body.required > ids.length) {
    const message = `At most ${ids.length} approvals can be required of ${ids.length} reviewers.`;
    throw new AppError('validation_failed', message, { fields: { required: message } });
  }
  return ids;
}

/** The version under review: the one named (an automatic one is kept as manual, so thinning cannot take it), or the state now. */
async function versionUnderReview(
  db: Database,
  sync: SyncServer | undefined,
  documentId: string,
  session: ValidSession,
  versionId?: string,
) {
  const today = new Date().toLocaleDateString('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  if (versionId) {
    const version = await findVersion(db, documentId, versionId);
    if (!version)
      throw new AppError('validation_failed', 'No such version of this document.', {
        fields: { versionId: 'not a version of this document' },
      });
    return version.kind === 'auto'
      ? copyVersion(db, versionId, 'manual', `Stand vom ${today}`, session.user.id)
      : versionId;
  }
  if (!sync) throw new AppError('internal', 'Document content is not served by this server.');
  // As naming a version does: the state at the log position now, merged off the main thread.
  const { seq, state, packed } = await sync.versionState(documentId);
  const version = await createVersion(db, {
    documentId,
    kind: 'manual',
    name: `Stand vom ${today}`,
    seq,
    state,
    packed,
    createdBy: session.user.id,
  });
  return version.id;
}

/**
 * Reviews by a steering committee: request (editors and owners), read (everyone who may read the
 * document), answer (the named reviewers, while they may read it), withdraw (the requester or an
 * owner). The rule that closes a review is written at the top of packages/domain/src/reviews/schemas.ts.
 */
export function reviewRoutes({ db, sync }: AppDependencies) {
  const app = new Hono<AppEnv>();

  app.post(
    '/documents/:documentId/reviews',
    describe(
      'Ask for a review of a version (the current state, kept as a manual version, when none is named)',
      'reviews',
      {
        201: reviewSchemas.reviewResponse,
        ...denied,
      },
    ),
    valid('param', schemas.documentIdParam),
    valid('json', reviewSchemas.createReviewBody),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      const body = c.req.valid('json');
      const { document, room } = await authorizeDocument(db, session, documentId, 'document.review.request');
      const reviewerIds = await checkReviewers(db, room.id, body);
      const versionId = await versionUnderReview(db, sync, documentId, session, body.versionId);
      const message = body.message?.trim() ? body.message : null;
      const reviewId = await inTransaction(db, async (tx) => {
        const id = await createReview(tx, {
          documentId,
          versionId,
          requestedBy: session.user.id,
          message,
          dueDate: body.dueDate ?? null,
          required: body.required ?? null,
          reviewerIds,
        });
        await writeAudit(
          tx,
          auditRecord(c, {
            action: 'review.request',
            targetType: 'document',
            targetId: documentId,
            roomId: room.id,
            details: {
              reviewId: id,
              versionId,
              reviewerIds,
              required: body.required ?? 'all',
              dueDate: body.dueDate ?? null,
            },
          }),
        );
        await insertNotifications(
          tx,
          reviewerIds.map((userId) => ({
            userId,
            kind: 'review_requested' as const,
            actorId: session.user.id,
            roomId: room.id,
            documentId,
            data: {
              roomName: room.name,
              documentTitle: document.title,
              reviewId: id,
              due: body.dueDate ?? null,
              excerpt: message,
            },
            dedupeKey: `review-requested:${id}`,
          })),
        );
        return id;
      });
      return c.json({ review: await shownReview(db, reviewId) }, 201);
    },
  );

  app.get(
    '/documents/:documentId/reviews',
    describe("A document's reviews, newest first", 'reviews', { 200: reviewSchemas.reviewsResponse, ...denied }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const { documentId } = c.req.valid('param');
      await authorizeDocument(db, requireSession(c), documentId, 'document.read');
      return c.json({ reviews: await loadReviews(db, { documentId }) }, 200);
    },
  );

  app.get(
    '/reviews/:reviewId',
    describe('One review with every reviewer and their answer', 'reviews', {
      200: reviewSchemas.reviewResponse,
      ...denied,
    }),
    valid('param', reviewSchemas.reviewIdParam),
    async (c) => {
      const { reviewId } = c.req.valid('param');
      await reviewFor(db, requireSession(c), reviewId, 'document.read');
      return c.json({ review: await shownReview(db, reviewId) }, 200);
    },
  );

  app.get(
    '/reviews/:reviewId/changes',
    describe(
      'What changed from the last approved version before the review to the version under review (null without an earlier approval)',
      'reviews',
      { 200: reviewSchemas.reviewChangesResponse, ...denied },
    ),
    valid('param', reviewSchemas.reviewIdParam),
    async (c) => {
      const { reviewId } = c.req.valid('param');
      const { review, document, room } = await reviewFor(db, requireSession(c), reviewId, 'document.read');
      const since = (await listVersions(db, review.documentId)).find(
        (version) => version.kind === 'approved' && new Date(version.createdAt) < review.createdAt,
      );
      if (!since) return c.json({ since: null, changes: null }, 200);
      const [before, after] = await Promise.all([
        readVersionState(db, review.documentId, since.id),
        readVersionState(db, review.documentId, review.versionId),
      ]);
      if (!before || !after) throw new AppError('not_found', 'Version not found.');
      const changes = compareStates(document.kind, before, after);
      return c.json(
        { since, changes: document.kind === 'actions' ? await withOwnerNames(db, room.id, changes) : changes },
        200,
      );
    },
  );

  app.put(
    '/reviews/:reviewId/answer',
    describe(
      'Answer (or change your answer to) a review you are a reviewer of, while it is open; a comment is required for approve_with_remarks and request_changes',
      'reviews',
      { 200: reviewSchemas.reviewResponse, ...refused },
    ),
    valid('param', reviewSchemas.reviewIdParam),
    valid('json', reviewSchemas.answerBody),
    async (c) => {
      const session = requireSession(c);
      const { reviewId } = c.req.valid('param');
      const { verdict, comment } = c.req.valid('json');
      const found = await findReview(db, reviewId);
      if (!found) throw new AppError('not_found', 'Review not found.');
      const isReviewer = (await reviewAnswers(db, reviewId)).some((a) => a.userId === session.user.id);
      if (!isReviewer) {
        await reviewFor(db, session, reviewId, 'document.read');
        throw new AppError('forbidden', 'Only the reviewers named in this review can answer it.');
      }
      if (!(await mayRead(db, session, found.roomId)))
        throw new AppError('forbidden', 'You can no longer read this document, so you cannot answer this review.');
      await inTransaction(db, async (tx) => {
        if (!(await lockOpenReview(tx, reviewId)))
          throw new AppError('conflict', 'This review is closed; answers can no longer change.');
        await setAnswer(tx, { reviewId, userId: session.user.id, verdict, comment: comment?.trim() ? comment : null });
        await writeAudit(
          tx,
          auditRecord(c, {
            action: 'review.answer',
            targetType: 'document',
            targetId: found.review.documentId,
            roomId: found.roomId,
            details: { reviewId, verdict },
          }),
        );
        await settleReview(tx, reviewId, closerOf(c, session));
      });
      return c.json({ review: await shownReview(db, reviewId) }, 200);
    },
  );

  app.post(
    '/reviews/:reviewId/withdraw',
    describe('Withdraw an open review (its requester, or an owner of the room)', 'reviews', {
      200: reviewSchemas.reviewResponse,
      ...refused,
    }),
    valid('param', reviewSchemas.reviewIdParam),
    async (c) => {
      const session = requireSession(c);
      const { reviewId } = c.req.valid('param');
      const { review, room } = await reviewFor(db, session, reviewId, 'document.review.request');
      if (review.requestedBy !== session.user.id && room.role !== 'owner')
        throw new AppError(
          'forbidden',
          'Only the person who asked for this review, or an owner of the room, can withdraw it.',
        );
      await inTransaction(db, async (tx) => {
        if (!(await lockOpenReview(tx, reviewId))) throw new AppError('conflict', 'This review is already closed.');
        await closeReview(tx, reviewId, 'withdrawn');
        await writeAudit(
          tx,
          auditRecord(c, {
            action: 'review.withdraw',
            targetType: 'document',
            targetId: review.documentId,
            roomId: room.id,
            details: { reviewId },
          }),
        );
        await notifyDecided(tx, await shownReview(tx, reviewId), 'withdrawn', session.user.id);
      });
      return c.json({ review: await shownReview(db, reviewId) }, 200);
    },
  );

  app.get(
    '/my-reviews',
    describe('The open reviews I am a reviewer of, the soonest due first', 'reviews', {
      200: reviewSchemas.reviewsResponse,
    }),
    async (c) => c.json({ reviews: await loadReviews(db, { openFor: requireSession(c).user.id }) }, 200),
  );

  return app;
}
