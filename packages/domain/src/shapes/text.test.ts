import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf } from './actions.ts';
import { clip, fieldLimits } from './limits.ts';
import { roadmapOf } from './roadmap.ts';
import { mergeText, textAnchors, textChange } from './text.ts';

/** Replicas that exchange updates only when told, to make edits truly concurrent. */
function replicas(count: number) {
  const docs = Array.from({ length: count }, () => new Y.Doc());
  const sync = () => {
    for (const a of docs)
      for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  return { docs, sync };
}

/** A list written the way Nordraum wrote it before titles were collaborative text. */
function oldList(doc: Y.Doc, title: string): string {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    doc.getMap('items').set('a1', map);
    map.set('title', title);
    map.set('status', 'open');
    map.set('order', 1);
    map.set('createdAt', '2026-11-02T09:00:00.000Z');
  });
  return 'a1';
}

describe('collaborative short text', () => {
  it('keeps the words of two people typing in the same action title at once', () => {
    const { docs, sync } = replicas(2);
    const id = actionListOf(docs[0]!).addItem({ title: 'Workshop vorbereiten' });
    sync();
    actionListOf(docs[0]!).text(id, 'title')!.insert(0, 'SH: ');
    const other = actionListOf(docs[1]!).text(id, 'title')!;
    other.insert(other.length, ' mit MV');
    sync();
    for (const doc of docs) expect(actionListOf(doc).item(id)!.title).toBe('SH: Workshop vorbereiten mit MV');
  });

  it('merges whole-value writes (a form saved) by their difference, not by replacing the text', () => {
    const { docs, sync } = replicas(2);
    const roadmap = roadmapOf(docs[0]!);
    const id = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Pilot', description: 'Ziel: ein Pilot.' });
    sync();
    roadmapOf(docs[0]!).updateMilestone(id, { title: 'KI-Pilot', description: 'Ziel: ein Pilot. Bis Mai.' });
    roadmapOf(docs[1]!).updateMilestone(id, { title: 'Pilot 2027' });
    sync();
    for (const doc of docs) {
      expect(roadmapOf(doc).milestone(id)).toMatchObject({
        title: 'KI-Pilot 2027',
        description: 'Ziel: ein Pilot. Bis Mai.',
      });
    }
  });

  it('applies a form edit where it was made, though others changed the text meanwhile', () => {
    const { docs, sync } = replicas(2);
    const id = roadmapOf(docs[0]!).addMilestone({ themeId: 'theme-ki', title: 'Pilot', description: 'Erst planen.' });
    sync();
    const text = roadmapOf(docs[1]!).text(id, 'description')!;
    const anchors = textAnchors(text);
    roadmapOf(docs[0]!).updateMilestone(id, { description: 'Vorher: Erst planen.' });
    sync();
    // Saved from what the dialog showed when it opened.
    mergeText(text, anchors, 'Erst planen.', 'Erst planen, dann bauen.');
    sync();
    for (const doc of docs) expect(roadmapOf(doc).milestone(id)!.description).toBe('Vorher: Erst planen, dann bauen.');
  });

  it('reads titles stored as plain strings by earlier versions, and converts them on the first edit', () => {
    const doc = new Y.Doc();
    const id = oldList(doc, 'Alter Titel');
    const list = actionListOf(doc);
    expect(list.item(id)!.title).toBe('Alter Titel');
    expect(doc.getMap<Y.Map<unknown>>('items').get(id)!.get('title')).toBe('Alter Titel');
    list.updateItem(id, { title: 'Alter Titel, neu' });
    expect(doc.getMap<Y.Map<unknown>>('items').get(id)!.get('title')).toBeInstanceOf(Y.Text);
    expect(list.item(id)!.title).toBe('Alter Titel, neu');
  });

  it('converts an old title the same way on two clients at once, so both people keep their words', () => {
    const { docs, sync } = replicas(2);
    oldList(docs[0]!, 'Registerabgleich');
    sync();
    const a = actionListOf(docs[0]!).text('a1', 'title')!;
    const b = actionListOf(docs[1]!).text('a1', 'title')!;
    a.insert(0, 'SH ');
    b.insert(b.length, ' MV');
    sync();
    for (const doc of docs) expect(actionListOf(doc).item('a1')!.title).toBe('SH Registerabgleich MV');
    // A client's own id is untouched by the conversion.
    expect(docs[0]!.clientID).toBeLessThan(2 ** 32);
  });

  it('finds the smallest change between two texts', () => {
    expect(textChange('Workshop', 'Workshop SH')).toEqual({ index: 8, remove: 0, insert: ' SH' });
    expect(textChange('aXb', 'aYb')).toEqual({ index: 1, remove: 1, insert: 'Y' });
    expect(textChange('gleich', 'gleich')).toEqual({ index: 6, remove: 0, insert: '' });
  });
});

describe('field limits', () => {
  it('refuses a title over the limit and an impossible date, and keeps what was stored', () => {
    const list = actionListOf(new Y.Doc());
    const id = list.addItem({ title: 'Kurz', due: '2027-03-15' });
    expect(() => list.updateItem(id, { title: 'x'.repeat(fieldLimits.title + 1) })).toThrow(RangeError);
    expect(() => list.updateItem(id, { due: '2027-02-31' })).toThrow(RangeError);
    expect(list.item(id)).toMatchObject({ title: 'Kurz', due: '2027-03-15' });
    const roadmap = roadmapOf(new Y.Doc());
    const milestone = roadmap.addMilestone({ themeId: 'theme-ki', title: 'M', start: '2027-01-01' });
    expect(() => roadmap.updateMilestone(milestone, { description: 'x'.repeat(fieldLimits.description + 1) })).toThrow(
      RangeError,
    );
    expect(() => roadmap.updateMilestone(milestone, { start: '2027-02-30' })).toThrow(RangeError);
    expect(() => roadmap.addTheme({ name: 'T'.repeat(fieldLimits.themeName + 1), colour: '#000000' })).toThrow(
      RangeError,
    );
    expect(roadmap.milestone(milestone)).toMatchObject({ description: '', start: '2027-01-01' });
  });

  it('cuts what another client sent beyond a limit, without crashing', () => {
    const doc = new Y.Doc();
    const list = actionListOf(doc);
    const id = list.addItem({ title: 'Kurz' });
    list.text(id, 'title')!.insert(0, 'x'.repeat(10_000));
    doc.getMap<Y.Map<unknown>>('items').get(id)!.set('organization', 'O'.repeat(5_000));
    const item = list.item(id)!;
    expect(item.title).toHaveLength(fieldLimits.title);
    expect(item.organization).toHaveLength(fieldLimits.code);
    const roadmap = roadmapOf(doc);
    const milestone = roadmap.addMilestone({ themeId: 'theme-ki', title: 'M' });
    roadmap.text(milestone, 'description')!.insert(0, 'y'.repeat(50_000));
    expect(roadmap.milestone(milestone)!.description).toHaveLength(fieldLimits.description);
  });

  it('never cuts through a character outside the basic plane', () => {
    expect(clip('ab😀', 3)).toBe('ab');
    expect(clip('ab😀', 4)).toBe('ab😀');
  });
});
