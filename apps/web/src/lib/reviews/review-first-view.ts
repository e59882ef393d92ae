import { toBase64 } from 'lib0/buffer';
import createClient from 'openapi-fetch';
import type { paths } from '#lib/api/schema.d.ts';
import type { Version } from '#lib/history/versions.ts';
import { DEFAULT_LOCALE, isLocale, type Locale } from '#lib/i18n/index.ts';
import type { ReviewPageData } from './review-page.ts';

/** What the server renders a review page from: the page's data and the version under review. */
export interface ReviewFirstView {
  page: ReviewPageData;
  /** The version under review: its committed state as one Yjs update (base64), and its entry. */
  version: { id: string; state: string; meta: Version | null };
  locale: Locale;
}

/**
 * Asks the API (in the same process, see hooks.server.ts) for everything the review page shows
 * first, in two rounds as the browser would: the reader, the review and its comparison; then the
 * document's room role, its versions and the state of the one under review. Null for anything
 * short of a complete answer (signed out, no access): the browser then loads the page itself.
 */
export async function reviewFirstView(
  reviewId: string,
  fetch: typeof globalThis.fetch,
  origin: string,
): Promise<ReviewFirstView | null> {
  const api = createClient<paths>({ baseUrl: `${origin}/api`, fetch, headers: { accept: 'application/json' } });
  const path = { reviewId };
  const [me, found, compared] = await Promise.all([
    api.GET('/me'),
    api.GET('/reviews/{reviewId}', { params: { path } }),
    api.GET('/reviews/{reviewId}/changes', { params: { path } }),
  ]);
  const user = me.data?.user;
  const review = found.data?.review;
  if (!user || !review || !compared.data) return null;
  const documentPath = { documentId: review.documentId };
  const [meta, versions, state] = await Promise.all([
    api.GET('/documents/{documentId}', { params: { path: documentPath } }),
    api.GET('/documents/{documentId}/versions', { params: { path: documentPath } }),
    api.GET('/documents/{documentId}/versions/{versionId}/state', {
      params: { path: { ...documentPath, versionId: review.versionId } },
      parseAs: 'arrayBuffer',
    }),
  ]);
  if (!meta.data || !versions.data || !state.data) return null;
  return {
    page: {
      user,
      review,
      role: meta.data.room.role,
      approved: compared.data.since,
      changes: compared.data.changes,
    },
    version: {
      id: review.versionId,
      state: toBase64(new Uint8Array(state.data as unknown as ArrayBuffer)),
      meta: versions.data.versions.find((version) => version.id === review.versionId) ?? null,
    },
    locale: isLocale(user.locale) ? user.locale : DEFAULT_LOCALE,
  };
}
