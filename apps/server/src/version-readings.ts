import type { Database } from '@nordraum/db';
import { readVersionState, versionExists } from '@nordraum/db';
import { AppError, type DocumentKind, type Reading, readingOfState } from '@nordraum/domain';

/**
 * What comparisons read of versions, kept in memory. A version never changes, so its reading
 * (the text of notes, the items of a list as plain values) stays right forever; decoding its Yjs
 * state was most of a comparison's time (for 1,000 actions about 80 % of it). The first
 * comparison of a version on an instance decodes it; the next ones (another reviewer, the other
 * side of a second comparison) do not.
 *
 * Automatic versions are thinned, on any instance: a kept reading is served only after the
 * database confirmed its version still exists (a lookup by key that reads no state), so a
 * thinned version is "not found" here at once, as everywhere else, and leaves the cache.
 */

/** Defaults of {@link createVersionReadings}. */
export const versionReadingDefaults = {
  /** Readings kept, the most recently used (64: a 50-page protocol's reading is about 150 KB). */
  limit: 64,
};

/** Creates the cache; `read` answers a version's reading, from memory or decoded once. */
export function createVersionReadings(db: Database, options: Partial<typeof versionReadingDefaults> = {}) {
  const { limit } = { ...versionReadingDefaults, ...options };
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const kept = new Map<string, Promise<Reading>>();

  async function decode(documentId: string, versionId: string, kind: DocumentKind): Promise<Reading> {
    const state = await readVersionState(db, documentId, versionId);
    if (!state) throw new AppError('not_found', 'Version not found.');
    return readingOfState(kind, state);
  }

  return {
    /** The reading of a version of `documentId` (a document of `kind`); not_found if it has no such version. */
    read(documentId: string, versionId: string, kind: DocumentKind): Promise<Reading> {
      const key = `${documentId}/${versionId}`;
      const found = kept.get(key);
      const reading = found ?? decode(documentId, versionId, kind);
      // A failed read (no such version) is not kept.
      if (!found) reading.catch(() => kept.delete(key));
      kept.delete(key);
      kept.set(key, reading);
      if (kept.size > limit) kept.delete(kept.keys().next().value!);
      if (!found) return reading;
      return versionExists(db, documentId, versionId).then((exists) => {
        if (exists) return reading;
        if (kept.get(key) === reading) kept.delete(key);
        throw new AppError('not_found', 'Version not found.');
      });
    },
  };
}

/** The cache of version readings. */
export type VersionReadings = ReturnType<typeof createVersionReadings>;
