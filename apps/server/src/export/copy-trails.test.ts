import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCopyTrails } from './copy-trails.ts';

const typed = (doc: Y.Doc, text: string) => doc.getText('t').insert(doc.getText('t').length, text);

describe('the trails of edits since a copy was sent', () => {
  it('hand out each edit once, in a new generation each time, without encoding the document', () => {
    const trails = createCopyTrails();
    const doc = new Y.Doc();
    typed(doc, 'Protokoll');
    const first = trails.restart('p', doc);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    typed(doc, ' der AG');
    doc.getText('t').delete(0, 4);
    const step = trails.take('p', doc)!;
    expect(step.base).toBe(first);
    expect(step.generation).toBeGreaterThan(first);
    // The copy made at the restart plus what was taken is the document, deletions included.
    Y.applyUpdate(copy, step.update);
    expect(copy.getText('t').toString()).toBe('okoll der AG');
    const next = trails.take('p', doc)!;
    expect(next.base).toBe(step.generation);
    expect(Y.decodeUpdate(next.update).structs).toEqual([]);
  });

  it('give nothing for another object of the same document, after its destruction, or past their bytes', () => {
    const trails = createCopyTrails({ documents: 2, bytes: 64 });
    const doc = new Y.Doc();
    trails.restart('p', doc);
    expect(trails.take('p', new Y.Doc())).toBeNull();
    typed(doc, 'x'.repeat(100)); // over the trail's bytes: dropped, the next export sends the whole state
    expect(trails.take('p', doc)).toBeNull();
    const other = new Y.Doc();
    trails.restart('q', other);
    other.destroy();
    expect(trails.take('q', other)).toBeNull();
    expect(trails.size()).toBe(0);
  });

  it('follow at most their number of documents, the least recently used leaving first', () => {
    const trails = createCopyTrails({ documents: 2, bytes: 1024 });
    const docs = { a: new Y.Doc(), b: new Y.Doc(), c: new Y.Doc() };
    trails.restart('a', docs.a);
    trails.restart('b', docs.b);
    expect(trails.take('a', docs.a)).not.toBeNull(); // a used last: b leaves next
    trails.restart('c', docs.c);
    expect(trails.take('b', docs.b)).toBeNull();
    expect(trails.take('a', docs.a)).not.toBeNull();
    expect(trails.size()).toBe(2);
  });
});
