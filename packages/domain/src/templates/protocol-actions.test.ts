import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type NotesBlock, readNotesTree } from '../export/notes-tree.ts';
import { builtInTemplates } from './built-in.ts';
import { planProtocolActions, protocolActionRows, protocolDate } from './protocol-actions.ts';

const paragraph = (text: string): NotesBlock => ({ type: 'paragraph', runs: [{ text }] });
const row = (values: string[], header = false) =>
  values.map((value) => ({ header, blocks: value ? [paragraph(value)] : [] }));

/** The workshop template's blocks with its actions table filled in by `fill`. */
function workshop(language: 'de' | 'en', rows: string[][]): NotesBlock[] {
  const doc = new Y.Doc();
  builtInTemplates.find((template) => template.id === `builtin:workshop-protocol:${language}`)!.fill(doc);
  const blocks = readNotesTree(doc);
  // The second table of the template is its actions table.
  const table = blocks.filter((block) => block.type === 'table')[1] as Extract<NotesBlock, { type: 'table' }>;
  table.rows = [table.rows[0]!, ...rows.map((values) => row(values))];
  return blocks;
}

describe('a protocol’s actions', () => {
  it('are the filled rows of the workshop template’s actions table, in German and English', () => {
    const rows = [
      ['Schnittstelle beschreiben', 'Svea Sievers', 'SH', '30.06.2027'],
      ['', '', '', ''],
      ['Katalog abstimmen', '', 'MV', ''],
    ];
    const expected = [
      { title: 'Schnittstelle beschreiben', owner: 'Svea Sievers', organization: 'SH', due: '30.06.2027' },
      { title: 'Katalog abstimmen', owner: '', organization: 'MV', due: '' },
    ];
    expect(protocolActionRows(workshop('de', rows))).toEqual(expected);
    expect(protocolActionRows(workshop('en', rows))).toEqual(expected);
    // The participants table before it is not taken for actions, nor is an empty template.
    expect(protocolActionRows(workshop('de', []))).toEqual([]);
  });

  it('are found by their header columns in any order when there is no Maßnahmen heading', () => {
    const blocks: NotesBlock[] = [
      { type: 'table', rows: [row(['Name', 'Land'], true), row(['Svea', 'SH'])] },
      { type: 'table', rows: [row(['Fällig am', 'Maßnahme'], true), row(['1.2.2027', 'Prüfen'])] },
    ];
    expect(protocolActionRows(blocks)).toEqual([{ title: 'Prüfen', owner: '', organization: '', due: '1.2.2027' }]);
  });

  it('match owners to people of the room by name and read German dates; what fails stays empty and is named', () => {
    const planned = planProtocolActions(
      [
        { title: 'A', owner: 'svea sievers', organization: 'SH', due: '30.06.2027' },
        { title: 'B', owner: 'Niemand', organization: '', due: '31.02.2027' },
      ],
      [{ id: 'u1', name: 'Svea Sievers' }],
    );
    expect(planned).toEqual([
      { title: 'A', ownerId: 'u1', organization: 'SH', due: '2027-06-30', unknownOwner: null, badDate: null },
      { title: 'B', ownerId: null, organization: null, due: null, unknownOwner: 'Niemand', badDate: '31.02.2027' },
    ]);
    expect(protocolDate('2027-01-05')).toBe('2027-01-05');
    expect(protocolDate('morgen')).toBeNull();
  });
});
