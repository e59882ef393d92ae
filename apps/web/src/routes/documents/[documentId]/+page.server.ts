import { toBase64 } from 'lib0/buffer';
import createClient from 'openapi-fetch';
import type { paths } from '#lib/api/schema.d.ts';
import { type DocumentView, toEditorUser } from '#lib/editor/document-meta.ts';
import { DEFAULT_LOCALE, isLocale, type Locale } from '#lib/i18n/index.ts';
import { type RoomDirectory, toDirectory } from '#lib/roadmap/room-directory.ts';
import type { PageServerLoad } from './$types';

/** What the server renders a roadmap's or an action list's first view from. */
export interface FirstView {
  view: Omit<DocumentView, 'fromCache'>;
  /** The committed content as one Yjs update, base64: the browser starts its copy from it. */
  state: string;
  directory: RoomDirectory;
  locale: Locale;
}

// The rest of the app is rendered in the browser (see the root layout).
export const ssr = true;

/**
 * Roadmaps and action lists show their first view from the server: a list of 1,000 actions is
 * on screen before the scripts have run, instead of after the scripts, the socket and the whole
 * document. The browser takes the same state as the start of its copy and syncs only what is
 * newer. Anything short of a complete answer (signed out, no access, notes, the API unreachable)
 * leaves the page to the browser, exactly as before.
 */
export const load: PageServerLoad = async ({ params, fetch, url, locals, setHeaders }) => {
  const first = await firstView(params.documentId, fetch, url.origin).catch(() => null);
  // The page is this reader's, with their content: never from a shared cache. The service worker
  // keeps it for this address only (see there).
  setHeaders({ 'cache-control': 'private, no-store' });
  if (first) locals.locale = first.locale;
  return { first };
};

async function firstView(
  documentId: string,
  fetch: typeof globalThis.fetch,
  origin: string,
): Promise<FirstView | null> {
  const api = createClient<paths>({ baseUrl: `${origin}/api`, fetch, headers: { accept: 'application/json' } });
  const path = { documentId };
  const { data: meta } = await api.GET('/documents/{documentId}', { params: { path } });
  if (!meta || meta.document.kind === 'notes' || meta.room.role === null) return null;
  const roomPath = { roomId: meta.room.id };
  const [me, state, members, organizations] = await Promise.all([
    api.GET('/me'),
    api.GET('/documents/{documentId}/state', { params: { path }, parseAs: 'arrayBuffer' }),
    api.GET('/rooms/{roomId}/members', { params: { path: roomPath } }),
    api.GET('/organizations'),
  ]);
  const user = me.data?.user;
  if (!user || !state.data) return null;
  return {
    view: {
      document: meta.document,
      room: { id: meta.room.id, name: meta.room.name, role: meta.room.role },
      user: toEditorUser(user),
    },
    state: toBase64(new Uint8Array(state.data)),
    // As the browser loads it: without members, owners show as unknown people.
    directory: toDirectory(
      members.data?.members ?? [],
      (organizations.data?.organizations ?? []).map((organization) => organization.code),
    ),
    locale: isLocale(user.locale) ? user.locale : DEFAULT_LOCALE,
  };
}
