import {
  createAutoVersion,
  type Database,
  deleteAutoVersions,
  documentsDueForVersion,
  listAutoVersions,
} from '@nordraum/db';
import { defaultThinning, type ThinningRule, versionsToThin } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import type { LiveHub } from './live/hub.ts';

/**
 * Automatic versions: when a document has been quiet for a while after edits, its state is kept
 * as an `auto` version, and the document's automatic versions are thinned by age.
 *
 * Several instances on one database each run this. What stops them writing the same version twice
 * is the database, not timing: an automatic version is unique per document and log position
 * (doc_version_auto_seq_idx), so the second insert does nothing. Thinning deletes by id and only
 * automatic versions, so running it twice deletes nothing more.
 */

/** Defaults of {@link createAutoVersioner}. */
export const autoVersionDefaults = {
  /** How long a document must have had no edits before its state is kept (3 minutes). */
  quietMs: 180_000,
  /** How often to look for such documents (30 seconds). */
  intervalMs: 30_000,
  /** At most this many documents per look, so one run stays short (20). */
  batch: 20,
  /** All of the last day, one per hour for a week, one per day after. */
  thinning: defaultThinning as ThinningRule,
};

/** Options for {@link createAutoVersioner}; defaults in {@link autoVersionDefaults}. */
export interface AutoVersionerOptions extends Partial<typeof autoVersionDefaults> {
  db: Database;
  sync: SyncServer;
  log: { warn(object: object, message: string): void };
  /** Told when a document's versions changed: one written (its id), or some thinned (null). */
  onChanged?: (documentId: string, versionId: string | null) => void;
}

/** Creates the job; `start()` runs it every `intervalMs`, `runOnce()` runs one look (for tests). */
export function createAutoVersioner(options: AutoVersionerOptions) {
  const settings = { ...autoVersionDefaults, ...options };
  const { db, sync, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function thin(documentId: string) {
    const doomed = versionsToThin(await listAutoVersions(db, documentId), new Date(), settings.thinning);
    if ((await deleteAutoVersions(db, doomed)) > 0) options.onChanged?.(documentId, null);
  }

  async function look(): Promise<number> {
    let written = 0;
    for (const { id } of await documentsDueForVersion(db, settings.quietMs, settings.batch)) {
      // The state at exactly `seq`: every instance reading the same position writes the same
      // version, and the second insert does nothing.
      const { seq, state, packed } = await sync.versionState(id);
      const versionId = await createAutoVersion(db, { documentId: id, seq, state, packed });
      if (versionId) {
        written += 1;
        options.onChanged?.(id, versionId);
      }
      await thin(id);
    }
    return written;
  }

  /** One look for quiet documents; never two at once. Resolves with the versions written. */
  function runOnce(): Promise<number> {
    running ??= look().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    runOnce,
    start() {
      timer = setInterval(() => {
        runOnce().catch((error) => log.warn({ err: error }, 'keeping automatic versions failed'));
      }, settings.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

/**
 * The `onChanged` that tells the open history lists on every instance, through the live channel.
 * A lost announcement costs a list a moment of staleness (it reads again on reconnect), never a
 * version: it is only logged.
 */
export function announceVersionChanges(
  live: Pick<LiveHub, 'publish'>,
  log: AutoVersionerOptions['log'],
): NonNullable<AutoVersionerOptions['onChanged']> {
  return (documentId, versionId) =>
    void live
      .publish({ kind: 'version', documentId, ...(versionId ? { versionId } : {}) })
      .catch((err) => log.warn({ err }, 'announcing a version failed'));
}

/** The automatic-version job's public surface. */
export type AutoVersioner = ReturnType<typeof createAutoVersioner>;
