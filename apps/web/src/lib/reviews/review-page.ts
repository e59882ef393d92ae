import { call, client } from '#lib/api/client.ts';
import { requireUser } from '#lib/session/session.svelte.ts';
import { loadReview, reviewChanges } from './reviews.ts';

/**
 * Everything the review page shows, in two rounds: the review and its comparison (with the
 * reader), then the reader's role in the room. The version itself is loaded by its view.
 */
export async function loadReviewPage(reviewId: string) {
  const [user, review, compared] = await Promise.all([requireUser(), loadReview(reviewId), reviewChanges(reviewId)]);
  const documentId = review.documentId;
  const meta = await call(client.GET('/documents/{documentId}', { params: { path: { documentId } } }));
  // For scripts/bench-reviews.ts: when the data was there, apart from when it was shown.
  performance.mark('review-data');
  return { user, review, role: meta.room.role, approved: compared.since, changes: compared.changes };
}

export type ReviewPageData = Awaited<ReturnType<typeof loadReviewPage>>;
