import type { ExportHeading, NotesBlock, TextRun } from '@nordraum/domain';
import {
  AlignmentType,
  Document,
  TextRun as DocxRun,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  WidthType,
} from 'docx';

/**
 * Notes as a Word document (Office Open XML) with the `docx` package. Headings are Word's
 * built-in heading styles (the title is Heading 1, so navigation panes and screen readers see
 * the outline), lists use numbering definitions (each ordered list its own instance, so it counts
 * from its start), task items a ☑ or ☐ in front of the text: Word's check box controls do not
 * survive other programs, a character does. Document language de-DE.
 */

const headingLevels = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];

function runs(items: TextRun[]): ParagraphChild[] {
  return items.map((run) => {
    if (run.text === '\n') return new DocxRun({ break: 1 });
    const text = new DocxRun({
      text: run.text,
      bold: run.bold,
      italics: run.italic,
      strike: run.strike,
      underline: run.underline ? {} : undefined,
      font: run.code ? 'Courier New' : undefined,
      style: run.href ? 'Hyperlink' : undefined,
    });
    return run.href ? new ExternalHyperlink({ link: run.href, children: [text] }) : text;
  });
}

interface Place {
  /** List nesting, 0 outside lists. */
  level: number;
  /** The list the paragraphs belong to, if any. */
  list?: { reference: string; instance: number };
  style?: string;
  /** A task item's check mark, written before the first paragraph only. */
  check?: string;
}

/** Writes blocks as paragraphs and tables; `counter` numbers the lists. */
function blocks(items: NotesBlock[], place: Place, counter: { lists: number }): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const block of items) {
    if (block.type === 'heading') {
      out.push(new Paragraph({ heading: headingLevels[block.level - 1], children: runs(block.runs) }));
    } else if (block.type === 'paragraph' || block.type === 'code') {
      const content = block.type === 'code' ? [{ text: block.text, code: true }] : block.runs;
      const check = place.check;
      place.check = undefined;
      out.push(
        new Paragraph({
          style: place.style,
          numbering: place.list && !check ? { ...place.list, level: place.level - 1 } : undefined,
          indent: check ? { left: 360 * place.level } : undefined,
          children: runs(check ? [{ text: `${check} ` }, ...content] : content),
        }),
      );
    } else if (block.type === 'rule') {
      out.push(new Paragraph({ border: { bottom: { style: 'single', size: 6, color: '808080', space: 1 } } }));
    } else if (block.type === 'quote') {
      out.push(...blocks(block.blocks, { ...place, style: 'Quote' }, counter));
    } else if (block.type === 'list') {
      counter.lists += 1;
      const list = { reference: block.kind === 'ordered' ? 'ordered' : 'bullet', instance: counter.lists };
      for (const item of block.items) {
        const check = block.kind === 'task' ? (item.checked ? '☑' : '☐') : undefined;
        out.push(...blocks(item.blocks, { level: place.level + 1, list, check }, counter));
      }
    } else {
      out.push(table(block, counter));
    }
  }
  return out;
}

function table(block: Extract<NotesBlock, { type: 'table' }>, counter: { lists: number }): Table {
  const columns = Math.max(1, ...block.rows.map((row) => row.length));
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: block.rows.map(
      (row) =>
        new TableRow({
          // Only header rows carry the property: `false` is written too, and readers take it as set.
          tableHeader: row.length > 0 && row.every((cell) => cell.header) ? true : undefined,
          children: Array.from({ length: columns }, (_, index) => {
            const cell = row[index];
            const content = blocks(cell?.blocks ?? [], { level: 0 }, counter);
            return new TableCell({ children: content.length > 0 ? content : [new Paragraph({})] });
          }),
        }),
    ),
  });
}

/** Header rows as the editor shows them: bold. */
function emboldenHeaders(items: NotesBlock[]): NotesBlock[] {
  return items.map((block) => {
    if (block.type === 'table')
      return {
        ...block,
        rows: block.rows.map((row) =>
          row.map((cell) => (cell.header ? { ...cell, blocks: emboldenHeaders(boldBlocks(cell.blocks)) } : cell)),
        ),
      };
    if (block.type === 'list')
      return { ...block, items: block.items.map((item) => ({ ...item, blocks: emboldenHeaders(item.blocks) })) };
    if (block.type === 'quote') return { ...block, blocks: emboldenHeaders(block.blocks) };
    return block;
  });
}

function boldBlocks(items: NotesBlock[]): NotesBlock[] {
  return items.map((block) =>
    block.type === 'paragraph' ? { ...block, runs: block.runs.map((run) => ({ ...run, bold: true })) } : block,
  );
}

const levels = (format: (typeof LevelFormat)[keyof typeof LevelFormat], text: (level: number) => string) =>
  Array.from({ length: 9 }, (_, level) => ({
    level,
    format,
    text: text(level),
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 260 } } },
  }));

/** Notes as a DOCX file. */
export async function notesToDocx(items: NotesBlock[], heading: ExportHeading): Promise<Uint8Array> {
  const counter = { lists: 0 };
  const document = new Document({
    title: heading.title,
    subject: heading.roomName,
    creator: 'Nordraum',
    styles: { default: { document: { run: { font: 'Liberation Sans', size: 22, language: { value: 'de-DE' } } } } },
    numbering: {
      config: [
        { reference: 'bullet', levels: levels(LevelFormat.BULLET, (level) => ['•', '◦', '▪'][level % 3]!) },
        { reference: 'ordered', levels: levels(LevelFormat.DECIMAL, (level) => `%${level + 1}.`) },
      ],
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                children: [
                  new DocxRun({
                    text: [heading.roomName, heading.title, ...heading.lines.slice(1)].join(' · '),
                    size: 18,
                  }),
                ],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new DocxRun({ children: ['Seite ', PageNumber.CURRENT, ' von ', PageNumber.TOTAL_PAGES], size: 18 }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new DocxRun(heading.title)] }),
          ...heading.lines.map((line) => new Paragraph({ children: [new DocxRun({ text: line, color: '444444' })] })),
          ...blocks(emboldenHeaders(items), { level: 0 }, counter),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
