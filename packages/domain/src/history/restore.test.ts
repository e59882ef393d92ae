import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { notesText } from './render.ts';
import { restoreUpdate } from './restore.ts';
import { writeParagraphs } from './test-docs.ts';

const copyOf = (doc: Y.Doc) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};

describe('restoring a version', () => {
  it('turns notes back into the version and leaves the live document untouched until applied', () => {
    const live = new Y.Doc();
    writeParagraphs(live, ['Anfang', 'Stand Lenkungskreis', 'Ende']);
    const version = Y.encodeStateAsUpdate(live);
    writeParagraphs(live, ['Anfang', 'Schlechter Nachmittag', 'mehr', 'Ende']);

    const update = restoreUpdate('notes', live, version)!;
    expect(notesText(live)).toBe('Anfang\nSchlechter Nachmittag\nmehr\nEnde');
    Y.applyUpdate(live, update);
    expect(notesText(live)).toBe('Anfang\nStand Lenkungskreis\nEnde');
  });

  it('merges with an offline edit to a block the restore left alone', () => {
    const live = new Y.Doc();
    writeParagraphs(live, ['Eins', 'Zwei']);
    const version = Y.encodeStateAsUpdate(live);
    const paragraphText = (doc: Y.Doc, index: number) =>
      (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
    paragraphText(live, 1).insert(4, ' falsch');
    const offline = copyOf(live);
    paragraphText(offline, 0).insert(4, ' offline');

    Y.applyUpdate(live, restoreUpdate('notes', live, version)!);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(offline));

    expect(notesText(live)).toBe('Eins offline\nZwei');
  });

  it('is nothing to do when the live document equals the version', () => {
    const live = new Y.Doc();
    writeParagraphs(live, ['Gleich']);
    expect(restoreUpdate('notes', live, Y.encodeStateAsUpdate(live))).toBeNull();
  });

  it('patches an action list by item, so an offline edit to an unchanged action survives', () => {
    const live = new Y.Doc();
    const list = actionListOf(live);
    const kept = list.addItem({ title: 'Bleibt', ownerId: 'anna' });
    const changed = list.addItem({ title: 'Wird zurückgesetzt', due: '2026-03-01' });
    const removed = list.addItem({ title: 'Kommt zurück' });
    const version = Y.encodeStateAsUpdate(live);
    list.updateItem(changed, { due: '2026-09-30', status: 'blocked' });
    list.removeItem(removed);
    const added = list.addItem({ title: 'Verschwindet' });
    const offline = copyOf(live);
    actionListOf(offline).updateItem(kept, { status: 'done' });

    Y.applyUpdate(live, restoreUpdate('actions', live, version)!);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(offline));

    const after = actionListOf(live);
    expect(after.item(kept)).toMatchObject({ title: 'Bleibt', status: 'done' });
    expect(after.item(changed)).toMatchObject({ due: '2026-03-01', status: 'open' });
    expect(after.item(removed)?.title).toBe('Kommt zurück');
    expect(after.item(added)).toBeUndefined();
  });

  it('patches roadmap milestones and text fields held as Y.Text', () => {
    const live = new Y.Doc();
    const roadmap = roadmapOf(live);
    roadmap.initialise();
    const id = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Pilot', start: '2026-01-01' });
    const fields = live.getMap('milestones').get(id) as Y.Map<unknown>;
    live.transact(() => fields.set('title', new Y.Text('Pilot')));
    const version = Y.encodeStateAsUpdate(live);
    (fields.get('title') as Y.Text).insert(5, 'projekt');
    roadmap.updateMilestone(id, { start: '2026-06-01' });

    Y.applyUpdate(live, restoreUpdate('roadmap', live, version)!);

    expect(roadmapOf(live).milestone(id)).toMatchObject({ title: 'Pilot', start: '2026-01-01' });
    expect(fields.get('title')).toBeInstanceOf(Y.Text);
  });
});
