import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesText } from '../history/render.ts';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { contentEntries } from './entries.ts';
import { NotesTextCache, passages } from './notes-passages.ts';

function notes(build: (fragment: Y.XmlFragment) => void) {
  const doc = new Y.Doc();
  build(doc.getXmlFragment('default'));
  return doc;
}

function paragraph(name: string, ...texts: string[]) {
  const element = new Y.XmlElement(name);
  element.insert(
    0,
    texts.map((text) => new Y.XmlText(text)),
  );
  return element;
}

describe('search entries', () => {
  it('reads a protocol as one line per block, with formatting dropped', () => {
    const doc = notes((fragment) => {
      const list = new Y.XmlElement('bulletList');
      const item = new Y.XmlElement('listItem');
      item.insert(0, [paragraph('paragraph', 'Maßnahmen der AG')]);
      list.insert(0, [item]);
      fragment.insert(0, [paragraph('heading', 'Ergebnisse'), paragraph('paragraph', 'IT-', 'Resilienz'), list]);
      const bold = fragment.get(1) as Y.XmlElement;
      (bold.get(1) as Y.XmlText).format(0, 3, { bold: true });
    });
    expect(notesText(doc)).toBe('Ergebnisse\nIT-Resilienz\nMaßnahmen der AG');
    const heading = (doc.getXmlFragment('default').get(0) as Y.XmlElement)._item!.id;
    expect(contentEntries('notes', doc, () => null)).toEqual([
      { kind: 'protocol', itemId: null, title: '', body: '', organization: null },
      {
        kind: 'protocol',
        itemId: `passage-${heading.client}-${heading.clock}`,
        title: '',
        body: 'Ergebnisse\nIT-Resilienz\nMaßnahmen der AG',
        organization: null,
      },
    ]);
  });

  it('keeps the entry of every passage nobody typed into, read through a cache, and reads what was typed', () => {
    // Forty paragraphs of 200 characters: several passages.
    const doc = notes((fragment) =>
      fragment.insert(
        0,
        Array.from({ length: 40 }, (_, i) => paragraph('paragraph', `Absatz ${i} `.padEnd(200, 'x'))),
      ),
    );
    const cache = new NotesTextCache();
    doc.on('afterTransaction', (transaction: Y.Transaction) => cache.forget(transaction));
    const before = contentEntries('notes', doc, () => null, cache);
    expect(before.length).toBeGreaterThan(4);
    const last = doc.getXmlFragment('default').get(39) as Y.XmlElement;
    (last.get(0) as Y.XmlText).insert(0, 'getippt ');
    const after = contentEntries('notes', doc, () => null, cache);
    expect(after).toEqual(contentEntries('notes', doc, () => null));
    const typedInto = after.findIndex((entry) => entry.body.includes('getippt'));
    // The passages before the one typed into are the very entries of the last reading.
    expect(typedInto).toBeGreaterThan(2);
    for (let i = 1; i < typedInto - 1; i += 1) expect(after[i]).toBe(before[i]);
    expect(after[typedInto]).not.toBe(before[typedInto]);
  });

  it('makes every milestone and action an entry of its own, with owner name and Land', () => {
    const roadmapDoc = new Y.Doc();
    const roadmap = roadmapOf(roadmapDoc);
    roadmap.initialise();
    const id = roadmap.addMilestone({
      themeId: 'theme-it-resilienz',
      title: 'Notfallhandbuch',
      description: 'X-Road prüfen',
      lead: 'MV',
    });
    const milestone = contentEntries('roadmap', roadmapDoc, () => null).find((entry) => entry.itemId === id);
    expect(milestone).toMatchObject({ kind: 'milestone', title: 'Notfallhandbuch', organization: 'MV' });
    expect(milestone?.body).toContain('X-Road prüfen');
    expect(milestone?.body).toContain('IT-Resilienz');

    const listDoc = new Y.Doc();
    const actionId = actionListOf(listDoc).addItem({ title: 'Register prüfen', ownerId: 'u1', organization: 'SH' });
    const action = contentEntries('actions', listDoc, (userId) => (userId === 'u1' ? 'Anna Ahrens' : null)).find(
      (entry) => entry.itemId === actionId,
    );
    expect(action).toEqual({
      kind: 'action',
      itemId: actionId,
      title: 'Register prüfen',
      body: 'Anna Ahrens\nSH',
      organization: 'SH',
    });
  });
});

describe('passages of a protocol', () => {
  it('cuts the text at whole lines, about every 1,500 characters, losing nothing', () => {
    const lines = Array.from({ length: 40 }, (_, index) => `Zeile ${index} ${'x'.repeat(100)}`);
    const cut = passages(lines.join('\n'));
    expect(cut.length).toBeGreaterThan(2);
    for (const passage of cut) expect(passage.length).toBeLessThanOrEqual(1_500);
    expect(cut.join('\n')).toBe(lines.join('\n'));
    expect(passages('')).toEqual([]);
  });
});
