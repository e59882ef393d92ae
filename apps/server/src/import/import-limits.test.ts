import type { NotesBlock } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import { checkNotesSize, ImportLimitError, importLimits } from './import-limits.ts';

const paragraph = (text: string): NotesBlock => ({ type: 'paragraph', runs: [{ text }] });

describe('the size an imported notes document may have', () => {
  it('takes a long protocol', () => {
    expect(() => checkNotesSize(Array.from({ length: 10_000 }, () => paragraph('Ein Satz.')))).not.toThrow();
  });

  it('refuses more blocks and runs than the limit, counted inside lists and tables too', () => {
    const items = Array.from({ length: importLimits.notesNodes / 2 }, () => ({ blocks: [paragraph('x')] }));
    const list: NotesBlock = { type: 'list', kind: 'bullet', start: 1, items };
    expect(() => checkNotesSize([list])).toThrow(ImportLimitError);
    const cells = Array.from({ length: importLimits.notesNodes / 2 }, () => ({
      header: false,
      blocks: [paragraph('')],
    }));
    expect(() => checkNotesSize([{ type: 'table', rows: [cells] }])).toThrow(ImportLimitError);
  });

  it('refuses more characters than the limit, in text or code', () => {
    const long = 'x'.repeat(importLimits.notesChars / 2 + 1);
    expect(() => checkNotesSize([paragraph(long), paragraph(long)])).toThrow(ImportLimitError);
    expect(() => checkNotesSize([paragraph(long), { type: 'code', text: long }])).toThrow(ImportLimitError);
  });
});
