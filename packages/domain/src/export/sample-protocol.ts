import type { NotesBlock } from './notes-tree.ts';

/**
 * A protocol with every formatting the editor offers (headings 2–4, bold, italic, links, bullet,
 * ordered, nested and task lists, a table with a header row, a hard break) and umlauts: what the
 * export and import tests write and read back.
 */
export function sampleProtocol(): NotesBlock[] {
  return [
    { type: 'heading', level: 2, runs: [{ text: 'Anlass und Ergebnisse' }] },
    {
      type: 'paragraph',
      runs: [
        { text: 'Die Länder ' },
        { text: 'Schleswig-Holstein', bold: true },
        { text: ' und ' },
        { text: 'Mecklenburg-Vorpommern', italic: true },
        { text: ' prüfen die ' },
        { text: 'Datenräume', href: 'https://example.org/datenraum?a=1&b=ä' },
        { text: '.' },
      ],
    },
    { type: 'heading', level: 3, runs: [{ text: 'Tagesordnung' }] },
    {
      type: 'list',
      kind: 'ordered',
      start: 1,
      items: [
        { blocks: [{ type: 'paragraph', runs: [{ text: 'Begrüßung' }] }] },
        {
          blocks: [
            { type: 'paragraph', runs: [{ text: 'Übergabe an das Lenkungsgremium' }] },
            {
              type: 'list',
              kind: 'bullet',
              start: 1,
              items: [{ blocks: [{ type: 'paragraph', runs: [{ text: 'Größe der Öffnung' }] }] }],
            },
          ],
        },
      ],
    },
    {
      type: 'list',
      kind: 'bullet',
      start: 1,
      items: [
        { blocks: [{ type: 'paragraph', runs: [{ text: 'Straße', bold: true, italic: true }] }] },
        { blocks: [{ type: 'paragraph', runs: [{ text: 'Maß und Mitte' }] }] },
      ],
    },
    { type: 'heading', level: 4, runs: [{ text: 'Maßnahmen' }] },
    {
      type: 'list',
      kind: 'task',
      start: 1,
      items: [
        { checked: true, blocks: [{ type: 'paragraph', runs: [{ text: 'Einladung verschickt' }] }] },
        { checked: false, blocks: [{ type: 'paragraph', runs: [{ text: 'Bericht für die Staatskanzlei' }] }] },
      ],
    },
    {
      type: 'table',
      rows: [
        [
          { header: true, blocks: [{ type: 'paragraph', runs: [{ text: 'Land' }] }] },
          { header: true, blocks: [{ type: 'paragraph', runs: [{ text: 'Zuständig' }] }] },
        ],
        [
          { header: false, blocks: [{ type: 'paragraph', runs: [{ text: 'SH' }] }] },
          { header: false, blocks: [{ type: 'paragraph', runs: [{ text: 'Jörg Größer', bold: true }] }] },
        ],
      ],
    },
    {
      type: 'paragraph',
      runs: [{ text: 'Nächster Termin:' }, { text: '\n' }, { text: '15.01.2027, 10:00 Uhr (Video)' }],
    },
  ];
}
