import type { DocumentKind, Review, ReviewStatus, ReviewVerdict } from '@nordraum/domain';
import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../client.ts';
import {
  document,
  docVersion,
  organization,
  organizationGrant,
  review,
  reviewReviewer,
  room,
  roomMember,
  user,
} from '../schema.ts';

/**
 * Reviews of document versions and their reviewers' answers. A review's outcome is decided by the
 * caller (the rule is in the domain package); here a review closes only while it is still open
 * (`closeReview` answers null otherwise), so two answers arriving at once close it once.
 */

/** What a new review holds. */
export interface NewReview {
  documentId: string;
  versionId: string;
  requestedBy: string;
  message: string | null;
  dueDate: string | null;
  required: number | null;
  reviewerIds: string[];
}

/** Stores a review with its reviewers (no answers yet); returns its id. */
export async function createReview(db: Queryable, values: NewReview): Promise<string> {
  const { reviewerIds, ...row } = values;
  const [created] = await db.insert(review).values(row).returning({ id: review.id });
  await db.insert(reviewReviewer).values(reviewerIds.map((userId) => ({ reviewId: created!.id, userId })));
  return created!.id;
}

/** A review's own row and its document's room, for access checks; undefined when there is none. */
export async function findReview(db: Queryable, reviewId: string) {
  const [row] = await db
    .select({ review, roomId: document.roomId, documentKind: document.kind })
    .from(review)
    .innerJoin(document, eq(document.id, review.documentId))
    .where(eq(review.id, reviewId));
  return row;
}

/** Locks an open review's row until the transaction ends; answers whether it is still open. */
export async function lockOpenReview(tx: Queryable, reviewId: string): Promise<boolean> {
  const rows = await tx.execute(sql`select id from review where id = ${reviewId} and status = 'open' for update`);
  return rows.rows.length > 0;
}

/** The reviewers of a review with their answers. */
export function reviewAnswers(db: Queryable, reviewId: string) {
  return db
    .select({ userId: reviewReviewer.userId, verdict: reviewReviewer.verdict })
    .from(reviewReviewer)
    .where(eq(reviewReviewer.reviewId, reviewId));
}

/** Records (or replaces) a reviewer's answer; answers whether they are a reviewer of it. */
export async function setAnswer(
  db: Queryable,
  values: { reviewId: string; userId: string; verdict: ReviewVerdict; comment: string | null },
) {
  const rows = await db
    .update(reviewReviewer)
    .set({ verdict: values.verdict, comment: values.comment, answeredAt: sql`now()` })
    .where(and(eq(reviewReviewer.reviewId, values.reviewId), eq(reviewReviewer.userId, values.userId)))
    .returning({ userId: reviewReviewer.userId });
  return rows.length > 0;
}

/** Closes a review that is still open; null when it was not (closed by someone else meanwhile). */
export async function closeReview(
  db: Queryable,
  reviewId: string,
  status: Exclude<ReviewStatus, 'open'>,
  approvedVersionId: string | null = null,
) {
  const [row] = await db
    .update(review)
    .set({ status, approvedVersionId, closedAt: sql`now()` })
    .where(and(eq(review.id, reviewId), eq(review.status, 'open')))
    .returning();
  return row ?? null;
}

/**
 * Keeps a copy of a version's state as a version of `kind` (an `approved` one when a review closes,
 * a `manual` one of an automatic version put to review, which thinning may delete): the same bytes
 * and log position, written in one statement so the state never passes through the application.
 */
export async function copyVersion(
  db: Queryable,
  versionId: string,
  kind: 'approved' | 'manual',
  name: string,
  createdBy: string | null,
) {
  const result = await db.execute<{ id: string }>(sql`
    insert into doc_version (document_id, kind, name, seq, state, state_encoding, bytes, created_by)
    select document_id, ${kind}::version_kind, ${name}, seq, state, state_encoding, bytes, ${createdBy}::uuid
    from doc_version where id = ${versionId}
    returning id`);
  return result.rows[0]!.id;
}

/** Today's date in Europe/Berlin by the database clock (YYYY-MM-DD), for due dates. */
export async function berlinToday(db: Queryable): Promise<string> {
  const result = await db.execute<{ today: string }>(
    sql`select ((now() at time zone 'Europe/Berlin')::date)::text as today`,
  );
  return result.rows[0]!.today;
}

/** Open reviews whose due date lies before `today`: those the due-date rule may close. */
export async function listOverdueReviewIds(db: Queryable, today: string): Promise<string[]> {
  const rows = await db
    .select({ id: review.id })
    .from(review)
    .where(and(eq(review.status, 'open'), sql`${review.dueDate} < ${today}::date`));
  return rows.map((row) => row.id);
}

const requester = alias(user, 'requester');
const requesterOrg = alias(organization, 'requester_org');

function readsDocumentRoom(userId: string) {
  return or(
    sql`exists (select 1 from ${roomMember} where ${roomMember.roomId} = ${document.roomId} and ${roomMember.userId} = ${userId})`,
    sql`exists (select 1 from ${organizationGrant} where ${organizationGrant.roomId} = ${document.roomId} and ${organizationGrant.organizationId} = (select organization_id from "user" where id = ${userId}))`,
  );
}

/** Which reviews {@link loadReviews} loads. */
export type ReviewFilter =
  | { reviewIds: string[] }
  | { documentId: string }
  /** Open reviews a person is a reviewer of, of documents they may still read. */
  | { openFor: string };

function whereOf(filter: ReviewFilter): SQL | undefined {
  if ('reviewIds' in filter) return inArray(review.id, filter.reviewIds);
  if ('documentId' in filter) return eq(review.documentId, filter.documentId);
  return and(
    eq(review.status, 'open'),
    isNull(document.archivedAt),
    sql`exists (select 1 from ${reviewReviewer} where ${reviewReviewer.reviewId} = ${review.id} and ${reviewReviewer.userId} = ${filter.openFor})`,
    readsDocumentRoom(filter.openFor),
  );
}

/** Reviews as the API shows them, newest first (the soonest due first for a person's open ones). */
export async function loadReviews(db: Queryable, filter: ReviewFilter): Promise<Review[]> {
  const rows = await db
    .select({
      review,
      documentTitle: document.title,
      documentKind: document.kind,
      roomId: room.id,
      roomName: room.name,
      versionName: docVersion.name,
      requesterName: requester.name,
      requesterCode: requesterOrg.code,
    })
    .from(review)
    .innerJoin(document, eq(document.id, review.documentId))
    .innerJoin(room, eq(room.id, document.roomId))
    .innerJoin(docVersion, eq(docVersion.id, review.versionId))
    .leftJoin(requester, eq(requester.id, review.requestedBy))
    .leftJoin(requesterOrg, eq(requesterOrg.id, requester.organizationId))
    .where(whereOf(filter))
    .orderBy(
      ...('openFor' in filter ? [sql`${review.dueDate} asc nulls last`] : []),
      desc(review.createdAt),
      desc(review.id),
    );
  if (rows.length === 0) return [];
  const answers = await db
    .select({
      reviewId: reviewReviewer.reviewId,
      userId: user.id,
      name: user.name,
      code: organization.code,
      verdict: reviewReviewer.verdict,
      comment: reviewReviewer.comment,
      answeredAt: reviewReviewer.answeredAt,
    })
    .from(reviewReviewer)
    .innerJoin(user, eq(user.id, reviewReviewer.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(
      inArray(
        reviewReviewer.reviewId,
        rows.map((row) => row.review.id),
      ),
    )
    .orderBy(asc(user.name), asc(user.id));
  const byReview = Map.groupBy(answers, (answer) => answer.reviewId);
  return rows.map((row) => toReview(row, byReview.get(row.review.id) ?? []));
}

type LoadedRow = {
  review: typeof review.$inferSelect;
  documentTitle: string;
  documentKind: DocumentKind;
  roomId: string;
  roomName: string;
  versionName: string | null;
  requesterName: string | null;
  requesterCode: string | null;
};

type LoadedAnswer = {
  userId: string;
  name: string;
  code: string;
  verdict: ReviewVerdict | null;
  comment: string | null;
  answeredAt: Date | null;
};

function toReview(row: LoadedRow, answers: LoadedAnswer[]): Review {
  const r = row.review;
  return {
    id: r.id,
    status: r.status,
    documentId: r.documentId,
    documentTitle: row.documentTitle,
    documentKind: row.documentKind,
    roomId: row.roomId,
    roomName: row.roomName,
    versionId: r.versionId,
    versionName: row.versionName,
    approvedVersionId: r.approvedVersionId,
    requestedBy:
      r.requestedBy && row.requesterName !== null
        ? { id: r.requestedBy, name: row.requesterName, organization: { code: row.requesterCode ?? '' } }
        : null,
    message: r.message,
    dueDate: r.dueDate,
    rule: r.required === null ? 'all' : 'count',
    required: r.required ?? answers.length,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    answers: answers.map((a) => ({
      reviewer: { id: a.userId, name: a.name, organization: { code: a.code } },
      verdict: a.verdict,
      comment: a.comment,
      at: a.answeredAt?.toISOString() ?? null,
    })),
  };
}
