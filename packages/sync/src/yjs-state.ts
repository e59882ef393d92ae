import * as Y from 'yjs';

/** A document as stored: snapshot plus newer log entries. */
export interface StoredDocument {
  snapshot: Uint8Array | undefined;
  updates: { seq: number; update: Uint8Array }[];
  /** Highest seq contained in snapshot and updates. */
  lastSeq: number;
  /** Log entries newer than the snapshot. */
  logLength: number;
  /** Which user each claimed Yjs client id belongs to (`load` fills it in). */
  clientOwners?: Map<number, string>;
}

/** Applies a document as stored (snapshot, then the newer log entries), each with `applySafely`. */
export function applyStored(doc: Y.Doc, stored: Pick<StoredDocument, 'snapshot' | 'updates'>, origin?: unknown): void {
  if (stored.snapshot) applySafely(doc, stored.snapshot, origin);
  for (const { update } of stored.updates) applySafely(doc, update, origin);
}

/**
 * Applies a stored update, skipping one that cannot be applied instead of failing the whole
 * document: every update was validated before it was stored, so this is a last line of defence.
 */
export function applySafely(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}

/** Reads a stored document through a copy made for the read. */
export function readStoredCopy<T>(stored: Pick<StoredDocument, 'snapshot' | 'updates'>, read: (doc: Y.Doc) => T): T {
  const copy = new Y.Doc();
  try {
    applyStored(copy, stored);
    return read(copy);
  } finally {
    copy.destroy();
  }
}

/**
 * Snapshot plus newer log entries as one state, for compaction. Strict for the snapshot: one that
 * cannot be read must fail the compaction, not be replaced by the log alone.
 */
export function foldStored(stored: Pick<StoredDocument, 'snapshot' | 'updates'>): Uint8Array {
  const doc = new Y.Doc();
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const { update } of stored.updates) applySafely(doc, update);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** A document's state as one update, as stored: a compacted document is its snapshot already. */
export function storedState(stored: Pick<StoredDocument, 'snapshot' | 'updates'>): Uint8Array {
  if (stored.snapshot && stored.updates.length === 0) return stored.snapshot;
  return readStoredCopy(stored, (doc) => Y.encodeStateAsUpdate(doc));
}
