import * as Y from 'yjs';

/**
 * The export render process's copies of the live documents it exported last, so that an export after an
 * edit is sent only what changed since (the edits since the copy was last sent anything, collected by
 * copy-trails.ts, a few hundred bytes after typing) instead of the whole state: encoding a 50-page
 * protocol's 213 KiB held the thread that serves live editing for 3 to 17 ms per export. Each copy
 * has a generation, given by the server with what it was sent; what changed is applied only to the
 * copy of the generation it continues, so a copy only ever becomes the live document it follows.
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
  /** Which step of its document's trail the copy holds (copy-trails.ts). */
  generation: number;
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
     * The copy of `documentId` as generation `generation`: the copy of generation `base` with
     * `update` applied, or (base null) a copy of the whole state `update`, which replaces any
     * other. Null when the copy kept is not of generation `base` (none, evicted, a new render
     * process, or a step it missed): the caller sends the whole state.
     */
    update(documentId: string, base: number | null, generation: number, update: Uint8Array): Y.Doc | null {
      const copy = copies.get(documentId);
      if (base === null) {
        drop(documentId);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, update);
        keep(documentId, { doc, generation, bytes: update.byteLength, measured: update.byteLength });
        return doc;
      }
      if (copy?.generation !== base) {
        drop(documentId);
        return null;
      }
      copies.delete(documentId); // most recently used goes last
      total -= copy.bytes;
      Y.applyUpdate(copy.doc, update);
      copy.generation = generation;
      copy.bytes += update.byteLength;
      // Updates may repeat what the copy holds (a trail started before the whole state was read),
      // so the sum overstates the copy: measure it again once the estimate doubled (rarely, and
      // here in the render process).
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
