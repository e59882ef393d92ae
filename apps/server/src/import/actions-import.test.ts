import { describe, expect, it } from 'vitest';
import { parseDate, suggestMapping } from './actions-import.ts';
import { readCsv } from './table-read.ts';

describe('the action-list import', () => {
  it('suggests the mapping from German and English header names, each column once', () => {
    expect(suggestMapping(['Nr.', 'Maßnahme', 'Zuständig', 'Land/Organisation', 'Frist', 'Stand'])).toEqual({
      title: 1,
      owner: 2,
      organization: 3,
      due: 4,
      status: 5,
    });
    expect(suggestMapping(['Action item title', 'Responsible person', 'Due', 'Comment'])).toEqual({
      title: 0,
      owner: 1,
      organization: null,
      due: 2,
      status: null,
    });
  });

  it('reads German and ISO dates that exist, and nothing else', () => {
    expect(parseDate('15.02.2027')).toBe('2027-02-15');
    expect(parseDate('1.5.27')).toBe('2027-05-01');
    expect(parseDate('2027-12-31')).toBe('2027-12-31');
    expect(parseDate('')).toBeNull();
    for (const bad of ['31.02.2027', '2027-13-01', 'morgen', '02/15/2027']) expect(parseDate(bad)).toBeUndefined();
  });

  it('reads CSV with the separator of its header line, quotes and a byte order mark', () => {
    const comma = readCsv(new TextEncoder().encode('\uFEFFTitel,Status\r\n"Prüfen, dann freigeben",offen\r\n\r\n'));
    expect(comma).toEqual([
      { line: 1, cells: ['Titel', 'Status'] },
      { line: 2, cells: ['Prüfen, dann freigeben', 'offen'] },
    ]);
    const semicolon = readCsv(new TextEncoder().encode('Titel;Status\n"A, B";offen'));
    expect(semicolon[1]!.cells).toEqual(['A, B', 'offen']);
  });
});
