import { readNotesTree, writeNotesTree } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sampleProtocol } from '../../../../packages/domain/src/export/sample-protocol.ts';
import { createCopyTrails } from './copy-trails.ts';
import { createDocCopies } from './doc-copies.ts';

/** A live protocol, followed by a trail as the render pool follows it. */
function live() {
  const doc = new Y.Doc();
  writeNotesTree(doc, sampleProtocol());
  return doc;
}

describe("the export render process's copies of live documents", () => {
  it('follow the live document through insertions, deletions and formatting, sent only the edits', () => {
    const copies = createDocCopies();
    const trails = createCopyTrails();
    const protocol = live();
    const first = copies.update('a', null, trails.restart('a', protocol), Y.encodeStateAsUpdate(protocol))!;
    expect(readNotesTree(first)).toEqual(readNotesTree(protocol));
    const fragment = protocol.getXmlFragment('default');
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
    for (const step of steps) {
      step();
      const { base, generation, update } = trails.take('a', protocol)!;
      expect(update.byteLength).toBeLessThan(Y.encodeStateAsUpdate(protocol).byteLength / 2);
      const copy = copies.update('a', base, generation, update)!;
      expect(readNotesTree(copy)).toEqual(readNotesTree(protocol));
      expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(protocol));
    }
    // Edits in several steps arrive as one update; none since the last export, as an empty one.
    for (const step of steps.slice(1, 4)) step();
    const several = trails.take('a', protocol)!;
    expect(readNotesTree(copies.update('a', several.base, several.generation, several.update)!)).toEqual(
      readNotesTree(protocol),
    );
    const none = trails.take('a', protocol)!;
    expect(readNotesTree(copies.update('a', none.base, none.generation, none.update)!)).toEqual(
      readNotesTree(protocol),
    );
  });

  it('answer null for a change to a copy they do not keep, or to a copy of another generation', () => {
    const copies = createDocCopies();
    const trails = createCopyTrails();
    const protocol = live();
    const generation = trails.restart('b', protocol);
    writeNotesTree(protocol, [{ type: 'paragraph', runs: [{ text: 'später' }] }]);
    const step = trails.take('b', protocol)!;
    expect(copies.update('unknown', step.base, step.generation, step.update)).toBeNull();
    // A copy that missed a step (another render process was sent it): never patched from the middle.
    copies.update('b', null, generation, Y.encodeStateAsUpdate(protocol));
    writeNotesTree(protocol, [{ type: 'paragraph', runs: [{ text: 'am neuesten' }] }]);
    trails.take('b', protocol); // sent elsewhere
    writeNotesTree(protocol, [{ type: 'paragraph', runs: [{ text: 'noch neuer' }] }]);
    const next = trails.take('b', protocol)!;
    expect(copies.update('b', next.base, next.generation, next.update)).toBeNull();
    expect(copies.has('b')).toBe(false);
  });

  it('keep at most their number of documents and bytes, the least recently used leaving first', () => {
    const state = Y.encodeStateAsUpdate(live());
    const copies = createDocCopies({ documents: 3, bytes: 1024 * 1024 });
    for (const [index, id] of ['a', 'b', 'c'].entries()) copies.update(id, null, index, state);
    copies.update('a', null, 4, state); // a used last: b leaves next
    copies.update('d', null, 5, state);
    expect(['a', 'b', 'c', 'd'].map(copies.has)).toEqual([true, false, true, true]);
    expect(copies.size()).toEqual({ documents: 3, bytes: 3 * state.byteLength });
    expect(copies.update('a', 4, 6, Y.mergeUpdates([]))).not.toBeNull();
    const small = createDocCopies({ documents: 16, bytes: 2.5 * state.byteLength });
    for (const id of ['a', 'b', 'c']) small.update(id, null, 1, state);
    expect(small.size()).toEqual({ documents: 2, bytes: 2 * state.byteLength });
    // A document larger than all the bytes is still kept while it is the one in use.
    const tiny = createDocCopies({ documents: 16, bytes: 10 });
    expect(tiny.update('a', null, 1, state)).not.toBeNull();
    expect(tiny.size().documents).toBe(1);
  });
});
