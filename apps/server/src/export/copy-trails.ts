import * as Y from 'yjs';

/**
 * The edits of live documents since their copies in the render process (doc-copies.ts) were last
 * sent anything, so that the next export sends just those. They are collected from the document's
 * 'update' events as they happen: encoding them from the document at export time
 * (`Y.encodeStateAsUpdate(doc, copyStateVector)`) writes the document's whole delete set, a walk
 * over every item that held the thread serving live editing for 1 to 7 ms per export of a 50-page
 * protocol, in one piece.
 *
 * Invariant: a trail holds every update of its document since the moment its generation was given
 * out (it may hold more: an update applied twice changes nothing), so the copy of that generation
 * plus the trail is the document. The render process applies a trail only to the copy of exactly
 * that generation; a copy that missed a step (kept by another process, or a job that failed) is
 * never patched from the middle, but sent the whole state again.
 *
 * Only documents exported lately are followed, at most `documents` of them and `bytes` of edits
 * each (a trail beyond that is dropped: the next export sends the whole state, which is then
 * smaller); a destroyed document's trail goes with it.
 */

/** How many documents are followed, and how many bytes of edits each trail holds at most. */
export interface CopyTrailLimits {
  documents: number;
  bytes: number;
}

/** 16 documents (as many as a render process keeps copies of), 512 KiB each (a 50-page protocol is 213 KiB whole). */
export const defaultCopyTrailLimits: CopyTrailLimits = { documents: 16, bytes: 512 * 1024 };

interface Trail {
  doc: Y.Doc;
  /** The generation of the copy this trail continues. */
  generation: number;
  updates: Uint8Array[];
  bytes: number;
  stop: () => void;
}

/** What a copy lacks: `update` turns the copy of generation `base` into the copy of `generation`. */
export interface CopyStep {
  base: number;
  generation: number;
  update: Uint8Array;
}

/** The trails of edits of live documents, by document id. */
export function createCopyTrails(limits: CopyTrailLimits = defaultCopyTrailLimits) {
  const trails = new Map<string, Trail>();
  let lastGeneration = 0;

  function forget(documentId: string) {
    const trail = trails.get(documentId);
    if (!trail) return;
    trails.delete(documentId);
    trail.stop();
  }

  function follow(documentId: string, doc: Y.Doc, generation: number) {
    const trail: Trail = { doc, generation, updates: [], bytes: 0, stop: () => {} };
    const onUpdate = (update: Uint8Array) => {
      trail.updates.push(update);
      trail.bytes += update.byteLength;
      if (trail.bytes > limits.bytes && trails.get(documentId) === trail) forget(documentId);
    };
    const onDestroy = () => {
      if (trails.get(documentId) === trail) forget(documentId);
    };
    doc.on('update', onUpdate);
    doc.on('destroy', onDestroy);
    trail.stop = () => {
      doc.off('update', onUpdate);
      doc.off('destroy', onDestroy);
    };
    trails.set(documentId, trail);
    for (const [oldest] of trails) {
      if (trails.size <= limits.documents) break;
      forget(oldest);
    }
  }

  return {
    /**
     * A new generation for the copy of `documentId` that is to be sent its whole state, and, with
     * its loaded `doc`, a trail of that document from now on. Call it before the state is read.
     */
    restart(documentId: string, doc: Y.Doc | null): number {
      forget(documentId);
      lastGeneration += 1;
      if (doc) follow(documentId, doc, lastGeneration);
      return lastGeneration;
    },
    /**
     * The edits of `doc` since the copy's generation was given out, which the trail then starts
     * again from (the copy of the new generation will hold them); null without a whole trail of
     * this very document object (none kept, dropped, or the document was loaded anew).
     */
    take(documentId: string, doc: Y.Doc): CopyStep | null {
      const trail = trails.get(documentId);
      if (trail?.doc !== doc) return null;
      const { generation: base, updates } = trail;
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      lastGeneration += 1;
      trail.generation = lastGeneration;
      trail.updates = [];
      trail.bytes = 0;
      trails.delete(documentId); // most recently used goes last
      trails.set(documentId, trail);
      return { base, generation: lastGeneration, update };
    },
    /** Stops following every document (the copies they continue are gone). */
    clear() {
      for (const documentId of [...trails.keys()]) forget(documentId);
    },
    /** Documents followed, for tests and metrics. */
    size: () => trails.size,
  };
}

export type CopyTrails = ReturnType<typeof createCopyTrails>;
