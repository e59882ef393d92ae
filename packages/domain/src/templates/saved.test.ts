import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { templateStart } from './saved.ts';

const stateOf = (fill: (doc: Y.Doc) => void) => {
  const doc = new Y.Doc();
  fill(doc);
  return Y.encodeStateAsUpdate(doc);
};
const docOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
};

describe('a saved template', () => {
  it('of an action list keeps titles, organisations and dates, not owners or progress', () => {
    const state = stateOf((doc) => {
      const actions = actionListOf(doc);
      actions.addItem({ title: 'Schnittstelle prüfen', organization: 'MV', due: '2027-02-01', ownerId: 'u-1' });
      actions.addItem({ title: 'Bericht an den Lenkungskreis', status: 'done', ownerId: 'u-2' });
    });
    const items = actionListOf(docOf(templateStart('actions', state))).items();
    expect(
      items.map(({ title, organization, due, ownerId, status, doneAt }) => ({
        title,
        organization,
        due,
        ownerId,
        status,
        doneAt,
      })),
    ).toEqual([
      {
        title: 'Schnittstelle prüfen',
        organization: 'MV',
        due: '2027-02-01',
        ownerId: null,
        status: 'open',
        doneAt: null,
      },
      {
        title: 'Bericht an den Lenkungskreis',
        organization: null,
        due: null,
        ownerId: null,
        status: 'open',
        doneAt: null,
      },
    ]);
  });

  it('of a roadmap keeps themes, milestones, dates and the lead, not owners or progress', () => {
    const state = stateOf((doc) => {
      const roadmap = roadmapOf(doc);
      roadmap.initialise();
      const themeId = roadmap.themes()[0]!.id;
      roadmap.addMilestone({
        themeId,
        title: 'Pilot Once-Only',
        start: '2027-01-01',
        end: '2027-06-30',
        lead: 'SH',
        owners: ['u-1'],
        status: 'at_risk',
      });
    });
    const before = roadmapOf(docOf(state));
    const after = roadmapOf(docOf(templateStart('roadmap', state)));
    expect(after.themes()).toEqual(before.themes());
    const [milestone] = after.milestones();
    expect(milestone).toMatchObject({
      title: 'Pilot Once-Only',
      start: '2027-01-01',
      end: '2027-06-30',
      lead: 'SH',
      owners: [],
      status: 'planned',
    });
  });

  it('of notes is the document as it is', () => {
    const state = stateOf((doc) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Ergebnis: Kurt (SH) übernimmt.')]);
      doc.getXmlFragment('default').insert(0, [paragraph]);
    });
    expect(templateStart('notes', state)).toBe(state);
  });
});
