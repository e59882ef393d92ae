import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf, isOverdue, linkState } from './actions.ts';
import { agreementThemes, roadmapOf } from './roadmap.ts';

/** Replicas that exchange updates only when told, to make edits truly concurrent. */
function replicas(count: number) {
  const docs = Array.from({ length: count }, () => new Y.Doc());
  const sync = () => {
    for (const a of docs)
      for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  return { docs, sync };
}

describe('roadmap', () => {
  it('starts with the five fields of the SH–MV agreement, once, even when two clients seed at once', () => {
    const { docs, sync } = replicas(2);
    for (const doc of docs) roadmapOf(doc).initialise();
    sync();
    for (const doc of docs) {
      expect(
        roadmapOf(doc)
          .themes()
          .map((theme) => theme.name),
      ).toEqual(agreementThemes.map((theme) => theme.name));
    }
  });

  it('keeps concurrent edits to different fields of one milestone', () => {
    const { docs, sync } = replicas(2);
    const id = roadmapOf(docs[0]!).addMilestone({
      themeId: 'theme-ki',
      title: 'KI-Leitlinien',
      start: '2027-01-01',
      end: '2027-03-31',
    });
    sync();
    roadmapOf(docs[0]!).updateMilestone(id, { start: '2027-02-01', end: '2027-04-30' });
    roadmapOf(docs[1]!).updateMilestone(id, { title: 'Gemeinsame KI-Leitlinien SH/MV' });
    sync();
    for (const doc of docs) {
      expect(roadmapOf(doc).milestone(id)).toMatchObject({
        title: 'Gemeinsame KI-Leitlinien SH/MV',
        start: '2027-02-01',
        end: '2027-04-30',
        issues: [],
      });
    }
  });

  it('converges concurrent edits to the same field on all three replicas', () => {
    const { docs, sync } = replicas(3);
    const id = roadmapOf(docs[0]!).addMilestone({ themeId: 'theme-once-only', title: 'Registerabgleich' });
    sync();
    for (const [index, doc] of docs.entries()) {
      roadmapOf(doc).updateMilestone(id, { status: (['in_progress', 'at_risk', 'done'] as const)[index] });
    }
    sync();
    const statuses = docs.map((doc) => roadmapOf(doc).milestone(id)!.status);
    expect(new Set(statuses).size).toBe(1);
  });

  it('shows invalid values from a client as invalid instead of crashing', () => {
    const doc = new Y.Doc();
    const roadmap = roadmapOf(doc);
    const id = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Pilot' });
    const raw = doc.getMap<Y.Map<unknown>>('milestones').get(id)!;
    doc.transact(() => {
      raw.set('start', '2027-05-01');
      raw.set('end', '2027-01-01');
      raw.set('status', 'vielleicht');
      raw.set('owners', 'not a list');
    });
    doc.getMap('milestones').set('broken', 'not a map' as never);
    const milestone = roadmap.milestone(id)!;
    expect(milestone.status).toBe('planned');
    expect(milestone.issues).toEqual(
      expect.arrayContaining([
        { field: 'status', problem: 'invalid' },
        { field: 'owners', problem: 'invalid' },
        { field: 'end', problem: 'invalid' },
      ]),
    );
    raw.set('start', '2027-02-30');
    expect(roadmap.milestone(id)!.start).toBeNull();
    expect(roadmap.milestones()).toHaveLength(1);
    expect(() => roadmap.updateMilestone(id, { end: '31.12.2027' })).toThrow(RangeError);
  });

  it('preserves fields this version does not know', () => {
    const doc = new Y.Doc();
    const roadmap = roadmapOf(doc);
    const id = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Pilot' });
    doc.getMap<Y.Map<unknown>>('milestones').get(id)!.set('budget', { amount: 50_000, currency: 'EUR' });
    roadmap.updateMilestone(id, { title: 'Pilotprojekt' });
    expect(doc.getMap<Y.Map<unknown>>('milestones').get(id)!.get('budget')).toEqual({
      amount: 50_000,
      currency: 'EUR',
    });
  });
});

describe('action list', () => {
  const fixedNow = () => new Date('2026-11-22T10:00:00Z');

  it('keeps concurrent edits to different fields of one item', () => {
    const { docs, sync } = replicas(2);
    const id = actionListOf(docs[0]!, fixedNow).addItem({ title: 'Workshop vorbereiten', organization: 'SH' });
    sync();
    actionListOf(docs[0]!, fixedNow).updateItem(id, { due: '2026-12-15' });
    actionListOf(docs[1]!, fixedNow).updateItem(id, {
      status: 'in_progress',
      ownerId: 'user-mv-1',
      organization: 'MV',
    });
    sync();
    for (const doc of docs) {
      expect(actionListOf(doc).item(id)).toMatchObject({
        title: 'Workshop vorbereiten',
        due: '2026-12-15',
        status: 'in_progress',
        ownerId: 'user-mv-1',
        organization: 'MV',
      });
    }
  });

  it('converges concurrent edits of the same field', () => {
    const { docs, sync } = replicas(3);
    const id = actionListOf(docs[0]!).addItem({ title: 'Entwurf' });
    sync();
    for (const [index, doc] of docs.entries()) actionListOf(doc).updateItem(id, { title: `Entwurf ${index}` });
    sync();
    expect(new Set(docs.map((doc) => actionListOf(doc).item(id)!.title)).size).toBe(1);
  });

  it('keeps an action valid when its milestone is deleted, and shows the link as removed', () => {
    const { docs, sync } = replicas(2);
    const roadmapDoc = new Y.Doc();
    const milestoneId = roadmapOf(roadmapDoc).addMilestone({ themeId: 'theme-it-resilienz', title: 'Notfallhandbuch' });
    const id = actionListOf(docs[0]!).addItem({ title: 'Kapitel schreiben', milestoneId, roadmapId: 'roadmap-1' });
    sync();
    const milestoneIds = () =>
      new Set(
        roadmapOf(roadmapDoc)
          .milestones()
          .map((m) => m.id),
      );
    expect(linkState(actionListOf(docs[1]!).item(id)!, milestoneIds())).toBe('linked');
    roadmapOf(roadmapDoc).removeMilestone(milestoneId);
    const item = actionListOf(docs[1]!).item(id)!;
    expect(linkState(item, milestoneIds())).toBe('removed');
    expect(item.issues).toEqual([]);
  });

  it('records when an item was done and forgets it when reopened', () => {
    const list = actionListOf(new Y.Doc(), fixedNow);
    const id = list.addItem({ title: 'Protokoll versenden', due: '2026-11-20' });
    expect(isOverdue(list.item(id)!, '2026-11-22')).toBe(true);
    list.updateItem(id, { status: 'done' });
    expect(list.item(id)!.doneAt).toBe('2026-11-22T10:00:00.000Z');
    expect(isOverdue(list.item(id)!, '2026-11-22')).toBe(false);
    list.updateItem(id, { status: 'open' });
    expect(list.item(id)!.doneAt).toBeNull();
  });

  it('reads bad values as invalid and keeps unknown fields', () => {
    const doc = new Y.Doc();
    const list = actionListOf(doc);
    const id = list.addItem({ title: 'Prüfen' });
    const raw = doc.getMap<Y.Map<unknown>>('items').get(id)!;
    raw.set('due', 'morgen');
    raw.set('status', 42);
    raw.set('priority', 'hoch');
    const item = list.item(id)!;
    expect(item.due).toBeNull();
    expect(item.status).toBe('open');
    expect(item.issues).toEqual(
      expect.arrayContaining([
        { field: 'due', problem: 'invalid' },
        { field: 'status', problem: 'invalid' },
      ]),
    );
    list.updateItem(id, { title: 'Gründlich prüfen' });
    expect(raw.get('priority')).toBe('hoch');
  });
});
