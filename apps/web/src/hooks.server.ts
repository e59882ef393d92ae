import { inProcessApiKey } from '@nordraum/domain';
import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';

/**
 * API requests made while a page is rendered on the server go to Nordraum's API in the same
 * process (see `inProcessApiKey`), with the reader's cookie: no network hop, and never a request
 * to an origin taken from the page request. Without that API (`vite dev`) they go out as usual.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const api = event.platform?.req[inProcessApiKey];
  const url = new URL(request.url);
  if (!api || url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);
  const headers = new Headers(request.headers);
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.set('cookie', cookie);
  return api(new Request(request, { headers }));
};

/** The faces every page sets its text in; the others (light, italic) load when used. */
const mainFaces = /\/FiraSans-(Regular|SemiBold|Bold)\.woff2$/;

/**
 * A page rendered on the server in the reader's language says so to screen readers at once. Its
 * main fonts load together with its stylesheets rather than once the page has been laid out.
 */
export const handle: Handle = ({ event, resolve }) =>
  resolve(event, {
    preload: (file) =>
      file.type === 'js' || file.type === 'css' || (file.type === 'font' && mainFaces.test(file.filename)),
    transformPageChunk: ({ html }) =>
      event.locals.locale ? html.replace('<html lang="de">', `<html lang="${event.locals.locale}">`) : html,
  });
