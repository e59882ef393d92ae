// What the notes editor leaves on this device for offline use: per document, the metadata in
// localStorage (`nordraum.document.<id>`) and the text in IndexedDB (`nordraum-<id>`).

/** Key prefix of the cached document metadata (see document-meta.ts). */
export const METADATA_PREFIX = 'nordraum.document.';
const DATABASE_PREFIX = 'nordraum-';

/**
 * Deletes every local copy of documents, e.g. on an explicit logout on a shared computer.
 * Edits not yet synced are lost with it, so call it only when the user chose to sign out.
 */
export async function forgetLocalCopies(): Promise<void> {
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
