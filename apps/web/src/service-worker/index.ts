// Offline support for Nordraum: the app shell and its immutable assets come from a cache, so a
// document visited before still opens without a network; its text then comes from IndexedDB.
// API calls and the sync websocket are never cached: data must be fresh or visibly missing.
import { assets, immutable } from '$app/manifest';
import { self } from '$app/service-worker';

const precache = [...immutable.map((file) => file.path), ...assets.map((file) => file.path)].map(
  (path) => new URL(path, self.registration.scope).pathname,
);
const immutableFiles = new Set(precache);
// The file names carry content hashes, so their list identifies the build.
const CACHE = `nordraum-${hash(precache.join('|'))}`;
const PAGES = `${CACHE}-pages`;
/**
 * Visited pages kept for offline use. Most are the app's small client-rendered shell; a document
 * page is rendered on the server for its reader, with the content as it was then (the browser's
 * copy of the document, in IndexedDB, is newer) and marked `no-store`.
 */
const MAX_PAGES = 100;
const NETWORK_ONLY = ['/api/', '/sync/', '/healthz', '/readyz', '/metrics'];

self.addEventListener('install', (event) => {
  // Where the browser supports it, the immutable files come straight from the cache (falling back
  // to the network) without starting this worker's script: a reload no longer waits for thirty
  // fetch events before the app can run. Elsewhere the fetch handler below does the same.
  const scope = new URL(self.registration.scope).pathname;
  let routed: Promise<void> | undefined;
  try {
    routed = (event as ExtendableEvent & { addRoutes?: (rules: unknown) => Promise<void> }).addRoutes?.({
      condition: { urlPattern: { pathname: `${scope}_app/immutable/*` } },
      source: 'cache',
    });
  } catch {
    // A browser that refuses the rule outright: the fetch handler serves the files instead.
  }
  event.waitUntil(
    (async () => {
      // A browser that refuses the route still gets a working worker.
      await routed?.catch(() => undefined);
      const cache = await caches.open(CACHE);
      await cache.addAll(precache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE && key !== PAGES) await caches.delete(key);
      }
      await self.clients.claim();
      // The pages open right now were loaded before this worker existed: keep them too, so the
      // very first visit of a document already works offline on the next reload.
      const windows = await self.clients.matchAll({ type: 'window' });
      await Promise.all(windows.map((client) => rememberPage(new Request(client.url)).catch(() => undefined)));
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) return;

  if (immutableFiles.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request));
  }
});

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { ignoreSearch: true });
  return cached ?? fetch(request);
}

/** Network first, so a deployed update shows at once; the cached copy when offline. */
async function page(request: Request): Promise<Response> {
  try {
    return await rememberPage(request);
  } catch (error) {
    const cache = await caches.open(PAGES);
    const cached = (await cache.match(request, { ignoreSearch: true })) ?? (await siblingPage(cache, request));
    if (cached) return cached;
    throw error;
  }
}

async function rememberPage(request: Request): Promise<Response> {
  const response = await fetch(request);
  if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
    const cache = await caches.open(PAGES);
    await cache.put(stripSearch(request.url), response.clone());
    const keys = await cache.keys();
    // Oldest first: keys come back in insertion order.
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(key);
  }
  return response;
}

/**
 * The client-rendered shell differs between pages only by relative paths, which depend on the
 * depth of the address: any visited shell of the same depth can stand in. A page rendered on the
 * server cannot: it is another document's, and the browser would take it for that one.
 */
async function siblingPage(cache: Cache, request: Request): Promise<Response | undefined> {
  const depth = new URL(request.url).pathname.split('/').length;
  for (const key of await cache.keys()) {
    if (new URL(key.url).pathname.split('/').length !== depth) continue;
    const page = await cache.match(key);
    if (page && !page.headers.get('cache-control')?.includes('no-store')) return page;
  }
  return undefined;
}

function stripSearch(href: string): string {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  return url.href;
}

function hash(text: string): string {
  let value = 5381;
  for (let i = 0; i < text.length; i += 1) value = (Math.imul(value, 33) ^ text.charCodeAt(i)) >>> 0;
  return value.toString(36);
}
