import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applySafely, applyStored, foldStored, readStoredCopy, storedState } from './yjs-state.ts';

/** Two edits of one document: the first as a snapshot, the second as a log entry. */
function storedTwoEdits() {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'Moin');
  const snapshot = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(4, ' Kiel');
  const update = Y.encodeStateAsUpdate(doc, before);
  return { snapshot, updates: [{ seq: 2, update }] };
}

describe('stored Yjs state', () => {
  it('applies the snapshot and then the newer entries', () => {
    const doc = new Y.Doc();
    applyStored(doc, storedTwoEdits());
    expect(doc.getText('t').toString()).toBe('Moin Kiel');
  });

  it('skips an update that cannot be applied instead of failing the document', () => {
    const doc = new Y.Doc();
    expect(applySafely(doc, new Uint8Array([255, 255, 255]))).toBe(false);
    const stored = storedTwoEdits();
    applyStored(doc, { ...stored, updates: [{ seq: 2, update: new Uint8Array([9, 9]) }, ...stored.updates] });
    expect(doc.getText('t').toString()).toBe('Moin Kiel');
  });

  it('reads through a copy, folds for compaction, and serves a bare snapshot as it is', () => {
    const stored = storedTwoEdits();
    expect(readStoredCopy(stored, (doc) => doc.getText('t').toString())).toBe('Moin Kiel');
    const folded = new Y.Doc();
    Y.applyUpdate(folded, foldStored(stored));
    expect(folded.getText('t').toString()).toBe('Moin Kiel');
    expect(storedState({ snapshot: stored.snapshot, updates: [] })).toBe(stored.snapshot);
  });

  it('refuses to fold an unreadable snapshot', () => {
    expect(() => foldStored({ snapshot: new Uint8Array([255, 255, 255]), updates: [] })).toThrow();
  });
});
