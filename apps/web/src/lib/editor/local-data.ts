// What the editors leave on this device for offline use: per document, the metadata in
// localStorage (`nordraum.document.<id>`) and the content in IndexedDB (`nordraum-<id>`); and the
// pages the service worker kept (Cache Storage `nordraum-<build>-pages`).

/** Key prefix of the cached document metadata (see document-meta.ts). */
export const METADATA_PREFIX = 'nordraum.document.';
const DATABASE_PREFIX = 'nordraum-';

/** Suffix of the service worker's cache of visited pages (see src/service-worker). */
const PAGES_CACHE_SUFFIX = '-pages';

/**
 * Deletes every local copy of documents and every kept page, e.g. on an explicit logout on a
 * shared computer. The app itself stays cached: it holds nothing personal. Edits not yet synced
 * are lost with it, so call it only when the user chose to sign out.
 */
export async function forgetLocalCopies(): Promise<void> {
  await Promise.all([forgetDocuments(), forgetKeptPages()]);
}

async function forgetKeptPages(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const keys = await caches.keys().catch(() => [] as string[]);
  await Promise.all(
    keys
      .filter((key) => key.startsWith(DATABASE_PREFIX) && key.endsWith(PAGES_CACHE_SUFFIX))
      .map((key) => caches.delete(key).catch(() => false)),
  );
}

async function forgetDocuments(): Promise<void> {
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(METADATA_PREFIX)) localStorage.removeItem(key);
    }
  } catch {
    // Blocked storage holds nothing to forget.
  }
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .map((database) => database.name)
      .filter((name): name is string => typeof name === 'string' && name.startsWith(DATABASE_PREFIX))
      .map(
        (name) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(name);
            // A tab that still has the database open blocks the deletion until it closes.
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}
