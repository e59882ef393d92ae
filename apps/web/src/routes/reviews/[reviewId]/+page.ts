import { loadReviewPage } from '#lib/reviews/review-page.ts';
import type { PageLoad } from './$types';

/**
 * Starts the requests as the router starts, before the layout and the page are built (on a
 * loaded office laptop that is a few hundred milliseconds earlier); the page awaits the promise.
 */
export const load: PageLoad = ({ params }) => ({ loading: loadReviewPage(params.reviewId) });
