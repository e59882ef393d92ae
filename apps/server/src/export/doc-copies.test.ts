import { readNotesTree, writeNotesTree } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sampleProtocol } from '../../../../packages/domain/src/export/sample-protocol.ts';
import { createDocCopies, holdsStateVector } from './doc-copies.ts';

/** A live protocol, and what a copy of it is sent: the whole state first, then only what changed since. */
function live() {
  const doc = new Y.Doc();
  writeNotesTree(doc, sampleProtocol());
  return {
    doc,
    /** What the copy needs: `[base, update]` since the copy's state vector `known` (null: everything). */
    since(known: Uint8Array | null): [Uint8Array | null, Uint8Array] {
      return [known, known ? Y.encodeStateAsUpdate(doc, known) : Y.encodeStateAsUpdate(doc)];
    },
  };
}

describe("the export worker's copies of live documents", () => {
  it('follow the live document through insertions, deletions and formatting, sent only the changes', () => {
    const copies = createDocCopies();
    const protocol = live();
    const first = copies.update('a', ...protocol.since(null))!;
    expect(readNotesTree(first)).toEqual(readNotesTree(protocol.doc));
    const fragment = protocol.doc.getXmlFragment('default');
    const steps = [
      () => fragment.delete(1, 2), // whole blocks removed
      () => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('Neu: Ölförderung')]);
        fragment.insert(fragment.length, [paragraph]);
      },
      () => (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('Vorab ')]),
      () => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 5, { bold: {} }),
      () => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 3),
    ];
    let vector = Y.encodeStateVector(first);
    for (const step of steps) {
      step();
      const [base, update] = protocol.since(vector);
      expect(update.byteLength).toBeLessThan(Y.encodeStateAsUpdate(protocol.doc).byteLength / 2);
      const copy = copies.update('a', base, update)!;
      expect(readNotesTree(copy)).toEqual(readNotesTree(protocol.doc));
      expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(protocol.doc));
      vector = Y.encodeStateVector(copy);
    }
    // Edits since the copy's last state vector, in several steps, arrive as one update.
    for (const step of steps.slice(1, 4)) step();
    const copy = copies.update('a', ...protocol.since(vector))!;
    expect(readNotesTree(copy)).toEqual(readNotesTree(protocol.doc));
  });

  it('answer null for a change to a copy they do not keep, or one that lacks its base', () => {
    const copies = createDocCopies();
    const protocol = live();
    const vector = Y.encodeStateVector(protocol.doc);
    writeNotesTree(protocol.doc, [{ type: 'paragraph', runs: [{ text: 'später' }] }]);
    expect(copies.update('unknown', ...protocol.since(vector))).toBeNull();
    // A copy older than the change's base (another worker was sent what lies between).
    const older = new Y.Doc();
    writeNotesTree(older, [{ type: 'paragraph', runs: [{ text: 'alt' }] }]);
    copies.update('b', null, Y.encodeStateAsUpdate(older));
    writeNotesTree(older, [{ type: 'paragraph', runs: [{ text: 'neuer' }] }]);
    const between = Y.encodeStateVector(older);
    writeNotesTree(older, [{ type: 'paragraph', runs: [{ text: 'am neuesten' }] }]);
    expect(copies.update('b', between, Y.encodeStateAsUpdate(older, between))).toBeNull();
    expect(copies.has('b')).toBe(false);
    expect(holdsStateVector(older, between)).toBe(true);
    expect(holdsStateVector(new Y.Doc(), between)).toBe(false);
  });

  it('keep at most their number of documents and bytes, the least recently used leaving first', () => {
    const state = Y.encodeStateAsUpdate(live().doc);
    const copies = createDocCopies({ documents: 3, bytes: 1024 * 1024 });
    for (const id of ['a', 'b', 'c']) copies.update(id, null, state);
    const vector = Y.encodeStateVector(copies.update('a', null, state)!); // a used last: b leaves next
    copies.update('d', null, state);
    expect(['a', 'b', 'c', 'd'].map(copies.has)).toEqual([true, false, true, true]);
    expect(copies.size()).toEqual({ documents: 3, bytes: 3 * state.byteLength });
    expect(copies.update('a', vector, Y.encodeStateAsUpdate(live().doc, vector))).not.toBeNull();
    const small = createDocCopies({ documents: 16, bytes: 2.5 * state.byteLength });
    for (const id of ['a', 'b', 'c']) small.update(id, null, state);
    expect(small.size()).toEqual({ documents: 2, bytes: 2 * state.byteLength });
    // A document larger than all the bytes is still kept while it is the one in use.
    const tiny = createDocCopies({ documents: 16, bytes: 10 });
    expect(tiny.update('a', null, state)).not.toBeNull();
    expect(tiny.size().documents).toBe(1);
  });
});
