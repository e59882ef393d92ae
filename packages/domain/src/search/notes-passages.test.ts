import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesText } from '../history/render.ts';
import { NotesTextCache, notesPassages, type Passage, passageLength } from './notes-passages.ts';

/** A small deterministic random source. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function paragraph(text: string, name = 'paragraph') {
  const element = new Y.XmlElement(name);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function bulletList(...items: string[]) {
  const list = new Y.XmlElement('bulletList');
  list.insert(
    0,
    items.map((text) => {
      const item = new Y.XmlElement('listItem');
      item.insert(0, [paragraph(text)]);
      return item;
    }),
  );
  return list;
}

/** A protocol of `count` paragraphs of 150 to 350 characters. */
function protocol(count: number, next: () => number) {
  const doc = new Y.Doc();
  // Where passages may end depends on the blocks' ids: the same ones in every run.
  doc.clientID = 1;
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    0,
    Array.from({ length: count }, (_, i) =>
      paragraph(`Absatz ${i}: ${'Die Arbeitsgruppe bespricht die Maßnahmen. '.repeat(4 + Math.floor(next() * 5))}`),
    ),
  );
  return doc;
}

/** The first text of a block (its paragraph, or its first list item's). */
function firstText(block: Y.XmlElement): Y.XmlText {
  let node: Y.XmlElement | Y.XmlText = block;
  while (node instanceof Y.XmlElement) node = node.get(0) as Y.XmlElement | Y.XmlText;
  return node;
}

const byKey = (list: Passage[]) => new Map(list.map((passage) => [passage.itemId, passage.body]));

describe('passages of a notes document', () => {
  it('holds every line once, in order, in passages of whole blocks of about 1,500 characters', () => {
    const doc = protocol(200, random(1));
    const fragment = doc.getXmlFragment('default');
    fragment.insert(50, [bulletList('Punkt eins', 'Punkt zwei'), paragraph('Ergebnisse', 'heading')]);
    const list = notesPassages(doc);
    expect(list.map((passage) => passage.body).join('\n')).toBe(notesText(doc));
    expect(new Set(list.map((passage) => passage.itemId)).size).toBe(list.length);
    for (const passage of list) expect(passage.body.length).toBeLessThanOrEqual(passageLength);
    // Not one passage per block: blocks are gathered.
    expect(list.length).toBeLessThan(fragment.length / 2);
  });

  it('cuts a block longer than a passage at its lines', () => {
    const doc = new Y.Doc();
    const items = Array.from({ length: 30 }, (_, i) => `Punkt ${i} ${'x'.repeat(100)}`);
    doc.getXmlFragment('default').insert(0, [paragraph('Vorher'), bulletList(...items), paragraph('Nachher')]);
    const list = notesPassages(doc);
    expect(list.map((passage) => passage.body).join('\n')).toBe(notesText(doc));
    expect(list.length).toBeGreaterThan(3);
    for (const passage of list) expect(passage.body.length).toBeLessThanOrEqual(passageLength);
  });

  it('keeps the keys and texts of the passages that were not typed into', () => {
    const next = random(2);
    const doc = protocol(400, next);
    const fragment = doc.getXmlFragment('default');
    let before = byKey(notesPassages(doc));
    // Typing into one paragraph near the start, a word at a time, until it has grown by 600
    // characters: its passage overflows again and again, and only the passages around it change
    // (cut greedily, all of the hundred or so after it would).
    const touched: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      firstText(fragment.get(3) as Y.XmlElement).insert(0, 'ergänzt . ');
      const after = byKey(notesPassages(doc));
      const changed = [...after].filter(([key, body]) => before.get(key) !== body).length;
      const gone = [...before.keys()].filter((key) => !after.has(key)).length;
      touched.push(changed + gone);
      before = after;
    }
    expect(before.size).toBeGreaterThan(80);
    expect(Math.max(...touched)).toBeLessThanOrEqual(12);
    expect(touched.reduce((a, b) => a + b, 0) / touched.length).toBeLessThan(1.5);
  });

  it('reads through the cache what it reads without, when told of every transaction', () => {
    const next = random(3);
    const doc = protocol(300, next);
    const fragment = doc.getXmlFragment('default');
    const cache = new NotesTextCache();
    doc.on('afterTransaction', (transaction: Y.Transaction) => cache.forget(transaction));
    for (let round = 0; round < 200; round += 1) {
      const at = Math.floor(next() * fragment.length);
      const choice = next();
      if (choice < 0.5) {
        const text = firstText(fragment.get(at) as Y.XmlElement);
        text.insert(Math.floor(next() * text.length), 'Wort ');
      } else if (choice < 0.6) {
        const text = firstText(fragment.get(at) as Y.XmlElement);
        if (text.length > 5) text.delete(0, 5);
      } else if (choice < 0.7) {
        firstText(fragment.get(at) as Y.XmlElement).format(0, 3, { bold: true });
      } else if (choice < 0.8) {
        fragment.insert(at, [round % 2 === 0 ? paragraph(`Neu ${round}`) : bulletList(`Punkt ${round}`, 'zwei')]);
      } else if (choice < 0.9) {
        fragment.delete(at, 1);
      } else {
        // Several blocks in one transaction, one of them inside a list.
        doc.transact(() => {
          const list = fragment
            .toArray()
            .find((block) => block instanceof Y.XmlElement && block.nodeName === 'bulletList');
          if (list instanceof Y.XmlElement) firstText(list).insert(0, 'Liste ');
          firstText(fragment.get(0) as Y.XmlElement).insert(0, 'Anfang ');
        });
      }
      if (round % 10 === 0) expect(notesPassages(doc, cache)).toEqual(notesPassages(doc));
    }
    expect(notesPassages(doc, cache)).toEqual(notesPassages(doc));
  });

  it('lays out again only around what was typed, as a reading of everything would', () => {
    const next = random(5);
    const doc = protocol(300, next);
    const fragment = doc.getXmlFragment('default');
    fragment.insert(100, [bulletList(...Array.from({ length: 30 }, (_, i) => `Punkt ${i} ${'y'.repeat(80)}`))]);
    const cache = new NotesTextCache();
    doc.on('afterTransaction', (transaction: Y.Transaction) => cache.forget(transaction));
    notesPassages(doc, cache);
    for (let round = 0; round < 300; round += 1) {
      // Words and whole sentences typed and cut, in one to three blocks at once, now and then a
      // block added or removed: every reading must equal one of the whole document.
      doc.transact(() => {
        for (let k = 1 + Math.floor(next() * 3); k > 0; k -= 1) {
          const text = firstText(fragment.get(Math.floor(next() * fragment.length)) as Y.XmlElement);
          if (next() < 0.6) text.insert(Math.floor(next() * text.length), 'x'.repeat(1 + Math.floor(next() * 400)));
          else text.delete(0, Math.min(text.length, Math.floor(next() * 400)));
        }
      });
      if (next() < 0.05) fragment.insert(Math.floor(next() * fragment.length), [paragraph(`Neu ${round}`)]);
      expect(notesPassages(doc, cache)).toEqual(notesPassages(doc));
    }
  });

  it('reads a block as it was as long as the cache is not told of its change', () => {
    const doc = protocol(3, random(4));
    const cache = new NotesTextCache();
    const first = notesPassages(doc, cache);
    firstText(doc.getXmlFragment('default').get(1) as Y.XmlElement).insert(0, 'Neu ');
    expect(notesPassages(doc, cache)).toEqual(first);
    cache.forget();
    expect(notesPassages(doc, cache)).toEqual(notesPassages(doc));
    expect(notesPassages(doc, cache)).not.toEqual(first);
  });
});
