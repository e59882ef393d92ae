import {
  type AuditRecord,
  berlinToday,
  closeReview,
  copyVersion,
  type Database,
  filterRoomReaders,
  findReview,
  insertNotifications,
  listOverdueReviewIds,
  loadReviews,
  lockOpenReview,
  type Queryable,
  reviewAnswers,
  writeAudit,
} from '@nordraum/db';
import { outcomeOf, type Review, type ReviewStatus } from '@nordraum/domain';

/**
 * How a review closes. Always inside a transaction that holds the review's row lock
 * ({@link lockOpenReview}), so two last answers arriving together close it once and keep one
 * approved version. The rule itself is `outcomeOf` in the domain package.
 */

/** Who closes a review: a person's request (their audit row), or the due-date job (no actor). */
export interface Closer {
  actorId: string | null;
  record(input: Omit<AuditRecord, 'actorId' | 'actorEmail' | 'ip'>): AuditRecord;
}

/** The due-date job closes reviews on nobody's behalf. */
export const byTheClock: Closer = { actorId: null, record: (input) => ({ actorId: null, ...input }) };

/** Tells the requester and the reviewers (who may still read the document) what became of a review. */
export async function notifyDecided(tx: Queryable, shown: Review, outcome: ReviewStatus, actorId: string | null) {
  const people = new Set([
    ...(shown.requestedBy ? [shown.requestedBy.id] : []),
    ...shown.answers.map((a) => a.reviewer.id),
  ]);
  const readers = await filterRoomReaders(tx, shown.roomId, [...people]);
  await insertNotifications(
    tx,
    [...readers].map((userId) => ({
      userId,
      kind: 'review_decided' as const,
      actorId,
      roomId: shown.roomId,
      documentId: shown.documentId,
      data: { roomName: shown.roomName, documentTitle: shown.documentTitle, reviewId: shown.id, outcome },
      dedupeKey: `review-decided:${shown.id}`,
    })),
  );
}

/**
 * Closes a locked open review if its answers (and the date) decide it: approved keeps the reviewed
 * state as an `approved` version. Answers the status it has now.
 */
export async function settleReview(tx: Queryable, reviewId: string, closer: Closer): Promise<ReviewStatus> {
  const found = await findReview(tx, reviewId);
  if (!found) return 'withdrawn';
  if (found.review.status !== 'open') return found.review.status;
  const { review, roomId } = found;
  const answers = await reviewAnswers(tx, reviewId);
  const outcome = outcomeOf(answers, review.required ?? answers.length, review.dueDate, await berlinToday(tx));
  if (outcome === 'open' || outcome === 'withdrawn') return outcome;
  const [shown] = await loadReviews(tx, { reviewIds: [reviewId] });
  const approvedVersionId =
    outcome === 'approved'
      ? await copyVersion(tx, review.versionId, 'approved', shown?.versionName ?? 'Freigabe', review.requestedBy)
      : null;
  if (!(await closeReview(tx, reviewId, outcome, approvedVersionId))) return outcome;
  await writeAudit(
    tx,
    closer.record({
      action: outcome === 'approved' ? 'review.approve' : 'review.reject',
      targetType: 'document',
      targetId: review.documentId,
      roomId,
      details: { reviewId, versionId: review.versionId, ...(approvedVersionId ? { approvedVersionId } : {}) },
    }),
  );
  if (shown) await notifyDecided(tx, shown, outcome, closer.actorId);
  return outcome;
}

/** Closes the open reviews whose due date has passed with a request for changes standing; answers how many. */
export async function settleDueReviews(db: Database): Promise<number> {
  let closed = 0;
  for (const reviewId of await listOverdueReviewIds(db, await berlinToday(db))) {
    const status = await db.transaction(async (tx) => {
      if (!(await lockOpenReview(tx, reviewId))) return 'closed';
      return settleReview(tx, reviewId, byTheClock);
    });
    if (status === 'changes_requested') closed += 1;
  }
  return closed;
}
