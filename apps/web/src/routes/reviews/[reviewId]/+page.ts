import { loadReviewPage, type ReviewPageData } from '#lib/reviews/review-page.ts';
import { browser } from '$app/env';
import type { PageLoad } from './$types';

/**
 * The page the server rendered (see +page.server.ts) is hydrated from the same data. Without it,
 * the requests start as the router starts, before the layout and the page are built (on a loaded
 * office laptop that is a few hundred milliseconds earlier); the page awaits the promise. On the
 * server without it, the page shows that it is loading, and the browser loads it.
 */
export const load: PageLoad = ({ params, data }) => {
  const loading: ReviewPageData | Promise<ReviewPageData> =
    data.first?.page ?? (browser ? loadReviewPage(params.reviewId) : new Promise<ReviewPageData>(() => {}));
  return { first: data.first, loading };
};
