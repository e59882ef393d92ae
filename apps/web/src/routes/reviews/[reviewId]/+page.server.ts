import { reviewFirstView } from '#lib/reviews/review-first-view.ts';
import type { PageServerLoad } from './$types';

// The rest of the app is rendered in the browser (see the root layout).
export const ssr = true;

/**
 * A review page arrives with its content, as a document's first view does: the comparison with
 * the last approval and the version under review (a roadmap of 200 milestones) are in the HTML,
 * instead of after the scripts and four requests. Anything short of a complete answer leaves
 * the page to the browser, exactly as before.
 */
export const load: PageServerLoad = async ({ params, fetch, url, locals, setHeaders }) => {
  const first = await reviewFirstView(params.reviewId, fetch, url.origin).catch(() => null);
  // The page is this reader's: never from a shared cache.
  setHeaders({ 'cache-control': 'private, no-store' });
  if (first) locals.locale = first.locale;
  return { first };
};
