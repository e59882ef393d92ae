import * as Y from 'yjs';

/**
 * The export render process's copies of the live documents it exported last, so that an export after an
 * edit is sent only what changed since (`Y.encodeStateAsUpdate(doc, copyStateVector)`, a few
 * hundred bytes after typing) instead of the whole state: encoding a 50-page protocol's 213 KiB
 * held the thread that serves live editing for 3 to 17 ms per export. A copy only ever grows by
 * updates of the live document, so applying what the live document has beyond the copy's state
 * vector (new items plus its whole delete set) makes the copy equal to it.
 *
 * Bounded by documents and by an estimate of their size (the bytes they were built from; a
 * Y.Doc in memory is a small multiple of that); the least recently used copies leave first.
 */

/** How many copies are kept, and how many bytes of updates they may have been built from. */
export interface DocCopyLimits {
  documents: number;
  bytes: number;
}

export const defaultDocCopyLimits: DocCopyLimits = { documents: 16, bytes: 32 * 1024 * 1024 };

interface Copy {
  doc: Y.Doc;
  /** Bytes of the updates the copy was built from since it was last measured (an estimate from above). */
  bytes: number;
  /** Its encoded size when last measured. */
  measured: number;
}

/** The render process has no copy holding the job's `base`: the job must be sent again with the whole state. */
export class CopyMissing extends Error {
  constructor() {
    super('the export render process holds no copy of this state');
  }
}

/** Whether `doc` holds everything the state vector `vector` names (every client's clock at least as far). */
export function holdsStateVector(doc: Y.Doc, vector: Uint8Array): boolean {
  for (const [client, clock] of Y.decodeStateVector(vector)) {
    if (Y.getState(doc.store, client) < clock) return false;
  }
  return true;
}

/** The render process's copies of documents, by document id. */
export function createDocCopies(limits: DocCopyLimits = defaultDocCopyLimits) {
  const copies = new Map<string, Copy>();
  let total = 0;

  function drop(documentId: string) {
    const copy = copies.get(documentId);
    if (!copy) return;
    copies.delete(documentId);
    total -= copy.bytes;
    copy.doc.destroy();
  }

  function keep(documentId: string, copy: Copy) {
    copies.set(documentId, copy);
    total += copy.bytes;
    for (const [oldest] of copies) {
      if (copies.size <= limits.documents && total <= limits.bytes) break;
      if (oldest === documentId) continue; // the copy just used stays
      drop(oldest);
    }
  }

  return {
    /**
     * The copy of `documentId` brought up to date by `update`: what the live document has beyond
     * the state vector `base`, or (base null) its whole state, which replaces any copy. Null when
     * no copy holding `base` is kept (evicted, or a new render process): the caller sends the whole state.
     */
    update(documentId: string, base: Uint8Array | null, update: Uint8Array): Y.Doc | null {
      const copy = copies.get(documentId);
      if (base === null || !copy) {
        if (base !== null) return null;
        drop(documentId);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, update);
        keep(documentId, { doc, bytes: update.byteLength, measured: update.byteLength });
        return doc;
      }
      if (!holdsStateVector(copy.doc, base)) {
        drop(documentId);
        return null;
      }
      copies.delete(documentId); // most recently used goes last
      total -= copy.bytes;
      Y.applyUpdate(copy.doc, update);
      copy.bytes += update.byteLength;
      // Every update carries the whole delete set, so the sum overstates the copy: measure it again
      // once the estimate doubled (rarely, and here in the render process).
      if (copy.bytes > 2 * copy.measured) copy.bytes = copy.measured = Y.encodeStateAsUpdate(copy.doc).byteLength;
      keep(documentId, copy);
      return copy.doc;
    },
    /** Copies kept and the bytes they are counted with, for tests and metrics. */
    size: () => ({ documents: copies.size, bytes: total }),
    has: (documentId: string) => copies.has(documentId),
  };
}

export type DocCopies = ReturnType<typeof createDocCopies>;
