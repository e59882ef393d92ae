import type { DocumentKind } from '@nordraum/domain';
import { createStateMerger } from './state-merge.ts';
import type { DocumentStore } from './store.ts';
import type { ThreadPriority } from './thread-priority.ts';
import type { StoredDocument } from './yjs-state.ts';

/**
 * States for versions: a document's committed content at one log position, read from the store
 * and merged in a worker thread (state-merge.ts), never by encoding the loaded document.
 *
 * The last state merged of the most recently versioned documents is kept, so the next version of
 * one of them reads only the log entries since (not the snapshot and the whole log again) and
 * merges only those into it. Correct because a state at `seq` merged with the entries after `seq`
 * is the state at the last of them; when a compaction has folded entries after `seq` away, the
 * log answers with its newer snapshot, and that is used instead of the kept state.
 */

/**
 * Documents whose last merged state is kept, with its compressed form (16: about 150 KB each for a
 * 50-page protocol)...
 */
const keptDocuments = 16;
/** ...and at most this many bytes of them in all (8 MiB), whatever their sizes. */
const keptBytes = 8 * 1024 * 1024;

/** A document's state at a log position, and the same compressed as versions store it (zstd). */
export interface VersionState {
  seq: number;
  state: Uint8Array;
  packed: Uint8Array;
}

/** Creates the source of version states; `close` ends its worker, which runs at `priority`. */
export function createVersionStates(store: DocumentStore, priority?: ThreadPriority) {
  const merger = createStateMerger(priority);
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const kept = new Map<string, VersionState>();
  let bytes = 0;

  function forget(documentId: string) {
    const known = kept.get(documentId);
    bytes -= known ? known.state.byteLength + known.packed.byteLength : 0;
    kept.delete(documentId);
  }

  /**
   * What to merge: the parts after the kept state, or the whole document as stored; or the kept
   * state itself when nothing was committed since.
   */
  async function partsOf(
    documentId: string,
  ): Promise<{ parts: Pick<StoredDocument, 'snapshot' | 'updates'>; seq: number } | VersionState> {
    const known = kept.get(documentId);
    if (!known) {
      const stored = await store.readStored(documentId);
      return { parts: stored, seq: stored.lastSeq };
    }
    const { snapshot, updates } = await store.readSince(documentId, known.seq);
    if (!snapshot && updates.length === 0) return known;
    const seq = updates.at(-1)?.seq ?? snapshot?.seq ?? known.seq;
    return { parts: { snapshot: snapshot?.state ?? known.state, updates }, seq };
  }

  /** The state at the log position now: it holds every entry committed before the call. */
  async function read(documentId: string): Promise<VersionState> {
    const found = await partsOf(documentId);
    if ('state' in found) return found;
    const { parts, seq } = found;
    const { state, packed } = await merger.mergePacked(parts);
    const known = kept.get(documentId);
    // Two reads at once may finish in either order: the later position stays.
    if (!known || known.seq <= seq) {
      forget(documentId);
      kept.set(documentId, { seq, state, packed });
      bytes += state.byteLength + packed.byteLength;
      while (kept.size > keptDocuments || bytes > keptBytes) forget(kept.keys().next().value!);
    }
    return { seq, state, packed };
  }

  return {
    read,
    /**
     * A restore of `target` worked out off the main thread: the state now (to keep as the
     * `restore` version) and the update that turns it into the version's content, both from
     * the same read. Edits committed after it merge with the restore like any concurrent edit.
     */
    async restorePlan(documentId: string, kind: DocumentKind, target: Uint8Array) {
      const { seq, state, packed } = await read(documentId);
      return { seq, before: state, packed, update: await merger.restore(kind, state, target) };
    },
    close: () => merger.close(),
  };
}
