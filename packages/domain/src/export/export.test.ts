import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { actionsToCsv, csvCell, roadmapToCsv } from './csv.ts';
import { attachmentDisposition, downloadFileName } from './file-name.ts';
import { actionsToICalendar, foldLine, icalText } from './ical.ts';

const users = new Map([['u1', 'Jörg Größer']]);

describe('CSV for German spreadsheets', () => {
  it('starts with a BOM, separates with semicolons, keeps umlauts and formats dates the German way', () => {
    const list = actionListOf(new Y.Doc(), () => new Date('2026-11-02T09:00:00Z'));
    list.addItem({ title: 'Übergabe „Datenräume“; Phase 2', ownerId: 'u1', organization: 'MV', due: '2026-12-15' });
    const csv = actionsToCsv(list.items(), { users, milestones: new Map() });
    expect(csv.startsWith('\uFEFFTitel;Verantwortlich;')).toBe(true);
    expect(csv).toContain('"Übergabe „Datenräume“; Phase 2";Jörg Größer;MV;15.12.2026;offen;;02.11.2026;\r\n');
  });

  it('neutralises formula-like titles', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","Klick")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""Klick"")"`,
    );
    for (const start of ['+', '-', '@', '\t'])
      expect(csvCell(`${start}1+1`).startsWith(`'${start}`) || csvCell(`${start}1+1`).startsWith(`"'${start}`)).toBe(
        true,
      );
    expect(csvCell('Zeile 1\nZeile 2')).toBe('"Zeile 1\nZeile 2"');
  });

  it('exports a roadmap by theme, with German status names', () => {
    const doc = new Y.Doc();
    const roadmap = roadmapOf(doc);
    roadmap.initialise();
    roadmap.addMilestone({
      themeId: 'theme-ki',
      title: 'KI-Pilot',
      start: '2027-01-01',
      end: '2027-06-30',
      status: 'at_risk',
      lead: 'SH',
      owners: ['u1'],
    });
    const csv = roadmapToCsv(roadmap.themes(), roadmap.milestones(), users);
    expect(csv).toContain('Künstliche Intelligenz;KI-Pilot;01.01.2027;30.06.2027;gefährdet;SH;Jörg Größer;\r\n');
  });
});

describe('iCalendar (RFC 5545)', () => {
  it('escapes text and folds lines at 75 octets without splitting characters', () => {
    expect(icalText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'ä'.repeat(60)}`);
    const lines = folded.split('\r\n');
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.map((line, index) => (index === 0 ? line : line.slice(1))).join('')).toBe(`SUMMARY:${'ä'.repeat(60)}`);
  });

  const calendarList = () => {
    const list = actionListOf(new Y.Doc(), () => new Date('2026-11-02T09:00:00Z'));
    list.addItem({ title: 'Workshop, Teil 1; Vorbereitung', ownerId: 'u1', organization: 'SH', due: '2026-12-31' });
    list.addItem({ title: 'Ohne Termin' });
    const done = list.addItem({ title: 'Erledigt', due: '2026-11-01' });
    list.updateItem(done, { status: 'done' });
    return list.items().map((item) => ({ ...item, url: `https://nordraum.example/documents/x#action-${item.id}` }));
  };

  it('writes one all-day VEVENT per action with a due date, which every calendar shows', () => {
    const ics = actionsToICalendar(calendarList(), {
      calendarName: 'Maßnahmen AG KI',
      users,
      now: new Date('2026-11-22T10:00:00Z'),
    });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).not.toContain('VTODO');
    expect(ics).toContain('SUMMARY:Workshop\\, Teil 1\\; Vorbereitung\r\n');
    // All day: a date start and the next day as the (exclusive) end, across the year's end.
    expect(ics).toContain('DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n');
    expect(ics).toContain('DTSTAMP:20261122T100000Z\r\n');
    expect(ics).not.toContain('Ohne Termin');
    expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
  });

  it('writes VTODOs when asked for tasks', () => {
    const ics = actionsToICalendar(calendarList(), { calendarName: 'M', users, type: 'todo', now: new Date() });
    expect(ics.match(/BEGIN:VTODO/g)).toHaveLength(2);
    expect(ics).toContain('DUE;VALUE=DATE:20261231\r\n');
    expect(ics).toContain('STATUS:COMPLETED\r\nDESCRIPTION');
  });
});

describe('download file names', () => {
  it('names a download after the list, the room and the day, safe for every system', () => {
    expect(downloadFileName(['Maßnahmen', 'AG IT-Resilienz', '2026-12-06'], 'ics')).toBe(
      'Maßnahmen AG IT-Resilienz 2026-12-06.ics',
    );
    expect(downloadFileName(['Liste: A/B <neu>?', 'AG "KI"', '2026-12-06'], 'csv')).toBe(
      'Liste- A-B -neu- AG -KI- 2026-12-06.csv',
    );
    expect(downloadFileName(['CON'], 'csv')).toBe('export.csv');
    expect(downloadFileName(['Ende. '], 'csv')).toBe('Ende.csv');
  });

  it('gives old clients an ASCII name and the rest the exact one (RFC 5987)', () => {
    expect(attachmentDisposition('Maßnahmen (AG) 2026-12-06.ics')).toBe(
      `attachment; filename="Massnahmen (AG) 2026-12-06.ics"; filename*=UTF-8''Ma%C3%9Fnahmen%20%28AG%29%202026-12-06.ics`,
    );
  });
});
