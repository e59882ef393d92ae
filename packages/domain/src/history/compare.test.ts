import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { compareDocs, compareStates } from './compare.ts';
import { notesText } from './render.ts';
import { paragraph, writeParagraphs } from './test-docs.ts';

const copyOf = (doc: Y.Doc) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};

describe('comparing notes', () => {
  it('marks inserted and deleted words, umlauts included, and counts a replacement once', () => {
    const before = new Y.Doc();
    writeParagraphs(before, ['Die Größe der Übung ist gut.', 'Zweiter Absatz bleibt.']);
    const after = copyOf(before);
    const first = after.getXmlFragment('default').get(0) as Y.XmlElement;
    const text = first.get(0) as Y.XmlText;
    text.delete(4, 'Größe'.length);
    text.insert(4, 'Gräße');
    after.getXmlFragment('default').insert(2, [paragraph('Neu: Maßnahmen für Öffentlichkeit')]);

    const changes = compareDocs('notes', before, after);

    expect(changes.items).toContainEqual({ kind: 'text', op: 'deleted', text: 'Größe' });
    expect(changes.items).toContainEqual({ kind: 'text', op: 'inserted', text: 'Gräße' });
    const inserted = changes.items.flatMap((item) =>
      item.kind === 'text' && item.op === 'inserted' ? [item.text] : [],
    );
    expect(inserted).toContain('\nNeu: Maßnahmen für Öffentlichkeit');
    expect(changes.summary).toEqual({ added: 1, removed: 0, changed: 1 });
    // Read in order, the runs without deletions are the new text, without insertions the old.
    const join = (skip: string) =>
      changes.items.map((item) => (item.kind === 'text' && item.op !== skip ? item.text : '')).join('');
    expect(join('deleted')).toBe(notesText(after));
    expect(join('inserted')).toBe(notesText(before));
  });

  it('sees both of two concurrent edits once they have merged', () => {
    const base = new Y.Doc();
    writeParagraphs(base, ['Eins', 'Zwei', 'Drei']);
    const [left, right] = [copyOf(base), copyOf(base)];
    ((left.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(4, ' (SH)');
    ((right.getXmlFragment('default').get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(4, ' (MV)');
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));

    const changes = compareStates('notes', Y.encodeStateAsUpdate(base), Y.encodeStateAsUpdate(left));

    const inserted = changes.items.filter((item) => item.kind === 'text' && item.op === 'inserted');
    expect(inserted.map((item) => (item.kind === 'text' ? item.text.trim() : ''))).toEqual(['(SH)', '(MV)']);
    expect(changes.summary).toEqual({ added: 2, removed: 0, changed: 0 });
  });

  it('finds nothing between equal states', () => {
    const doc = new Y.Doc();
    writeParagraphs(doc, ['Gleich']);
    expect(compareDocs('notes', doc, copyOf(doc)).summary).toEqual({ added: 0, removed: 0, changed: 0 });
  });
});

describe('comparing roadmaps', () => {
  it('reports milestones added, removed, moved (dates) and changed, with old and new values', () => {
    const before = new Y.Doc();
    const roadmap = roadmapOf(before);
    roadmap.initialise();
    const moved = roadmap.addMilestone({
      themeId: 'theme-ki',
      title: 'KI-Pilot',
      start: '2026-03-01',
      end: '2026-04-30',
    });
    const renamed = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Alt', status: 'planned' });
    const dropped = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Entfällt' });
    const after = copyOf(before);
    const next = roadmapOf(after);
    next.updateMilestone(moved, { start: '2026-05-01', end: '2026-06-30' });
    next.updateMilestone(renamed, { title: 'Neu', status: 'at_risk' });
    next.removeMilestone(dropped);
    const added = next.addMilestone({ themeId: 'theme-it-resilienz', title: 'Übung' });

    const changes = compareDocs('roadmap', before, after);

    expect(changes.summary).toEqual({ added: 1, removed: 1, changed: 2 });
    const byId = new Map(changes.items.map((item) => [item.kind === 'text' ? '' : item.id, item]));
    expect(byId.get(moved)).toMatchObject({
      change: 'changed',
      aspects: ['moved'],
      fields: [
        { field: 'start', before: '2026-03-01', after: '2026-05-01' },
        { field: 'end', before: '2026-04-30', after: '2026-06-30' },
      ],
    });
    expect(byId.get(renamed)).toMatchObject({
      title: 'Neu',
      aspects: ['content', 'status'],
      fields: [
        { field: 'title', before: 'Alt', after: 'Neu' },
        { field: 'status', before: 'planned', after: 'at_risk' },
      ],
    });
    expect(byId.get(dropped)).toMatchObject({ change: 'removed', title: 'Entfällt' });
    expect(byId.get(added)).toMatchObject({ change: 'added', title: 'Übung' });
  });
});

describe('comparing action lists', () => {
  it('reports actions reassigned, re-dated, with status changed, added and removed', () => {
    const before = new Y.Doc();
    const list = actionListOf(before);
    const reassigned = list.addItem({ title: 'Bericht', ownerId: 'anna', organization: 'SH' });
    const redated = list.addItem({ title: 'Workshop', due: '2026-03-01', status: 'open' });
    const gone = list.addItem({ title: 'Alt' });
    const after = copyOf(before);
    const next = actionListOf(after);
    next.updateItem(reassigned, { ownerId: 'bernd', organization: 'MV' });
    next.updateItem(redated, { due: '2026-04-15', status: 'in_progress' });
    next.removeItem(gone);
    next.addItem({ title: 'Neue Maßnahme' });

    const changes = compareDocs('actions', before, after);

    expect(changes.summary).toEqual({ added: 1, removed: 1, changed: 2 });
    const byTitle = new Map(changes.items.map((item) => [item.kind === 'text' ? '' : item.title, item]));
    expect(byTitle.get('Bericht')).toMatchObject({
      aspects: ['reassigned'],
      fields: [
        { field: 'owner', before: 'anna', after: 'bernd' },
        { field: 'organization', before: 'SH', after: 'MV' },
      ],
    });
    expect(byTitle.get('Workshop')).toMatchObject({ aspects: ['redated', 'status'] });
    expect(byTitle.get('Alt')).toMatchObject({ change: 'removed' });
    expect(byTitle.get('Neue Maßnahme')).toMatchObject({ change: 'added' });
  });
});

describe('comparing stored states', () => {
  /** Two states of one growing document: a list, then edits, deletions and additions on it. */
  function versionsOfOneList() {
    const doc = new Y.Doc();
    const list = actionListOf(doc);
    const ids = ['Bericht', 'Workshop', 'Alt', 'Übung'].map((title) => list.addItem({ title, due: '2026-03-01' }));
    const older = Y.encodeStateAsUpdate(doc);
    list.updateItem(ids[0]!, { due: '2026-05-01', status: 'in_progress' });
    list.removeItem(ids[2]!);
    list.addItem({ title: 'Neue Maßnahme' });
    return { older, newer: Y.encodeStateAsUpdate(doc) };
  }

  const twoDocs = (before: Uint8Array, after: Uint8Array) => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(a, before);
    Y.applyUpdate(b, after);
    return compareDocs('actions', a, b);
  };

  it('reads the same from one decoded document as from two, in either direction', () => {
    const { older, newer } = versionsOfOneList();
    const forward = compareStates('actions', older, newer);
    expect(forward.summary).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(forward).toEqual(twoDocs(older, newer));
    const backward = compareStates('actions', newer, older);
    expect(backward.summary).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(backward).toEqual(twoDocs(newer, older));
  });

  it('sees a deletion between states that differ by nothing else, either way', () => {
    const doc = new Y.Doc();
    writeParagraphs(doc, ['Erster Absatz', 'Zweiter Absatz']);
    const older = Y.encodeStateAsUpdate(doc);
    doc.getXmlFragment('default').delete(1, 1);
    const newer = Y.encodeStateAsUpdate(doc);
    expect(compareStates('notes', older, newer).summary.removed).toBe(1);
    expect(compareStates('notes', newer, older).summary.added).toBe(1);
  });
});
