// The review API as the pages use it, through the typed client generated from the server's
// OpenAPI document, and the few rules the pages show from a review.
import { call, client } from '#lib/api/client.ts';
import type { paths } from '#lib/api/schema.d.ts';
import type { Version } from '#lib/history/versions.ts';

type Json<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export type Review = Json<paths['/reviews/{reviewId}']['get']>['review'];
export type Verdict = NonNullable<Review['answers'][number]['verdict']>;
export type RequestBody = NonNullable<
  paths['/documents/{documentId}/reviews']['post']['requestBody']
>['content']['application/json'];

/** The verdicts in the order the form offers them. */
export const verdicts: readonly Verdict[] = ['approve', 'approve_with_remarks', 'request_changes'];
/** Verdicts that need a comment (the server checks the same). */
export const needsComment = (verdict: Verdict) => verdict !== 'approve';

export async function loadReview(reviewId: string): Promise<Review> {
  return (await call(client.GET('/reviews/{reviewId}', { params: { path: { reviewId } } }))).review;
}

export async function myReviews(): Promise<Review[]> {
  return (await call(client.GET('/my-reviews'))).reviews;
}

export async function documentReviews(documentId: string): Promise<Review[]> {
  return (await call(client.GET('/documents/{documentId}/reviews', { params: { path: { documentId } } }))).reviews;
}

export async function requestReview(documentId: string, body: RequestBody): Promise<Review> {
  return (await call(client.POST('/documents/{documentId}/reviews', { params: { path: { documentId } }, body })))
    .review;
}

export async function answerReview(reviewId: string, verdict: Verdict, comment: string): Promise<Review> {
  const body = { verdict, ...(comment.trim() ? { comment } : {}) };
  return (await call(client.PUT('/reviews/{reviewId}/answer', { params: { path: { reviewId } }, body }))).review;
}

export async function withdrawReview(reviewId: string): Promise<Review> {
  return (await call(client.POST('/reviews/{reviewId}/withdraw', { params: { path: { reviewId } } }))).review;
}

/** What changed from the last approval before the review to the version under review. */
export async function reviewChanges(reviewId: string) {
  return call(client.GET('/reviews/{reviewId}/changes', { params: { path: { reviewId } } }));
}

/** The newest approved version created before `before` (ISO time), or of all when absent. */
export function lastApproved(versions: readonly Version[], before?: string): Version | null {
  return versions.find((version) => version.kind === 'approved' && (!before || version.createdAt < before)) ?? null;
}
