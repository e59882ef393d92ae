import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { meetingToICalendar } from '../export/ical.ts';
import { actionListOf } from '../shapes/actions.ts';
import { followUpUpdate, minutesState, noteHeadings } from './minutes.ts';
import { decisionNumber, decisionsToCsv } from './register.ts';

describe('decision numbers', () => {
  it('read LK-year-sequence, the sequence zero-padded to three digits and longer when needed', () => {
    expect(decisionNumber(2026, 7)).toBe('LK-2026-007');
    expect(decisionNumber(2026, 1234)).toBe('LK-2026-1234');
  });
});

describe('minutes', () => {
  it('start with the preamble and one heading per agenda item, each with a paragraph to write in', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      minutesState({ preamble: 'Sitzung am 12.03.2026', agenda: [{ title: 'Begrüßung' }, { title: 'Roadmap' }] }),
    );
    expect(noteHeadings(doc)).toEqual(['TOP 1: Begrüßung', 'TOP 2: Roadmap']);
    const blocks = doc.getXmlFragment('default').toArray() as Y.XmlElement[];
    expect(blocks.map((block) => block.nodeName)).toEqual([
      'paragraph',
      'heading',
      'paragraph',
      'heading',
      'paragraph',
    ]);
    expect(blocks[1]!.getAttribute('level')).toBe(2);
  });
});

describe('follow-up actions', () => {
  it('are an edit of a copy that adds them to the list, leaving the list itself alone until applied', () => {
    const live = new Y.Doc();
    actionListOf(live).addItem({ title: 'Schon da' });
    const { update, itemIds } = followUpUpdate(live, [
      { title: 'Neu', ownerId: 'u1', organization: 'MV', due: '2026-04-30' },
    ]);
    expect(actionListOf(live).items()).toHaveLength(1);
    Y.applyUpdate(live, update);
    expect(actionListOf(live).item(itemIds[0]!)).toMatchObject({
      title: 'Neu',
      ownerId: 'u1',
      organization: 'MV',
      due: '2026-04-30',
    });
    expect(
      actionListOf(live)
        .items()
        .map((item) => item.title),
    ).toEqual(['Schon da', 'Neu']);
  });
});

describe('the meeting invitation', () => {
  it('escapes text, quotes names, ends an open meeting an hour later and folds long lines', () => {
    const body = meetingToICalendar(
      {
        id: 'm1',
        title: 'Lenkungskreis; Sitzung, 1/2026',
        startsAt: '2026-03-12T09:00:00.000Z',
        endsAt: null,
        location: 'Kiel',
        agenda: ['Begrüßung'],
        organizer: { name: 'Svea "SH" Sievers', email: 'svea@sh.example' },
        attendees: [],
        sequence: 2,
        url: `https://nordraum.example/meetings/${'x'.repeat(80)}`,
      },
      new Date('2026-03-01T00:00:00Z'),
    );
    const lines = body.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'SUMMARY:Lenkungskreis\\; Sitzung\\, 1/2026',
        'DTSTART:20260312T090000Z',
        'DTEND:20260312T100000Z',
        'SEQUENCE:2',
        'ORGANIZER;CN="Svea SH Sievers":mailto:svea@sh.example',
      ]),
    );
    expect(body.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
  });
});

describe('the register as CSV', () => {
  it('names the meeting and what supersedes what', () => {
    const base = {
      text: '',
      meetingId: null,
      agendaItemId: null,
      versionIds: [],
      actionIds: [],
      actions: [],
      versions: [],
      pendingActions: 0,
      createdAt: '',
    };
    const csv = decisionsToCsv(
      [
        {
          ...base,
          id: 'b',
          number: 'LK-2026-002',
          date: '2026-03-12',
          title: 'Neu',
          status: 'beschlossen',
          supersedes: 'a',
          supersededBy: null,
          meetingId: 'm',
        },
        {
          ...base,
          id: 'a',
          number: 'LK-2026-001',
          date: '2026-02-01',
          title: 'Alt',
          status: 'aufgehoben',
          supersedes: null,
          supersededBy: 'b',
        },
      ],
      {
        meetings: new Map([['m', 'Lenkungskreis 1/2026']]),
        numbers: new Map([
          ['a', 'LK-2026-001'],
          ['b', 'LK-2026-002'],
        ]),
      },
    );
    expect(csv.slice(1).split('\r\n').slice(1, 3)).toEqual([
      'LK-2026-002;12.03.2026;Neu;;beschlossen;Lenkungskreis 1/2026;LK-2026-001;',
      'LK-2026-001;01.02.2026;Alt;;aufgehoben;;;LK-2026-002',
    ]);
  });
});
