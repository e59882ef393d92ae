import type { ListItem, NotesBlock, TableCell, TextRun } from '@nordraum/domain';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { Marked, type Token, type Tokenizer, type Tokens } from 'marked';
import { importLimits, tooComplex } from './import-limits.ts';
import { checkZip } from './zip-check.ts';

/**
 * Files into the notes tree: Markdown (GFM, by `marked`), DOCX (by `mammoth`, through its HTML)
 * and ODT (content.xml read here). Text, headings, lists, task lists, tables, links, bold and
 * italic come across; images are dropped and counted, so the caller can say so. Task items
 * written by our own exports (☑/☐ in front, or a list style showing them) become task items again.
 */

export interface ImportedNotes {
  blocks: NotesBlock[];
  /** Images that were left out. */
  droppedImages: number;
}

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const xml = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
});

const nameOf = (node: XmlNode) => Object.keys(node).find((key) => key !== ':@')!;
const childrenOf = (node: XmlNode) => (node[nameOf(node)] as XmlNode[]) ?? [];
const attributes = (node: XmlNode) => node[':@'] ?? {};
const paragraph = (runs: TextRun[]): NotesBlock => ({ type: 'paragraph', runs });

/**
 * Task marks at the start of a list item's first paragraph become the item's state. (The marks in
 * regular expressions are escapes, \u2611 ☑ and \u2610 ☐: the bundle keeps such characters as they
 * are there, and scripts/build.ts keeps the server's bundle Latin-1.)
 */
function taskList(items: ListItem[]): { kind: 'task' | null; items: ListItem[] } {
  const first = (item: ListItem) => item.blocks[0];
  const marked = items.every((item) => {
    const block = first(item);
    return block?.type === 'paragraph' && /^[\u2611\u2610] ?/.test(block.runs[0]?.text ?? '');
  });
  if (!marked || items.length === 0) return { kind: null, items };
  return {
    kind: 'task',
    items: items.map((item) => {
      const block = first(item) as Extract<NotesBlock, { type: 'paragraph' }>;
      const [run, ...rest] = block.runs;
      const checked = run!.text.startsWith('☑');
      const text = run!.text.replace(/^[\u2611\u2610] ?/, '');
      return { checked, blocks: [paragraph(text ? [{ ...run!, text }, ...rest] : rest), ...item.blocks.slice(1)] };
    }),
  };
}

// Markdown ------------------------------------------------------------------------------------

function markdownInline(tokens: Token[] | undefined, marks: Omit<TextRun, 'text'> = {}): TextRun[] {
  const runs: TextRun[] = [];
  for (const token of tokens ?? []) {
    if (token.type === 'strong')
      runs.push(...markdownInline((token as Tokens.Strong).tokens, { ...marks, bold: true }));
    else if (token.type === 'em') runs.push(...markdownInline((token as Tokens.Em).tokens, { ...marks, italic: true }));
    else if (token.type === 'del')
      runs.push(...markdownInline((token as Tokens.Del).tokens, { ...marks, strike: true }));
    else if (token.type === 'link')
      runs.push(...markdownInline((token as Tokens.Link).tokens, { ...marks, href: (token as Tokens.Link).href }));
    else if (token.type === 'codespan') runs.push({ ...marks, code: true, text: (token as Tokens.Codespan).text });
    else if (token.type === 'br') runs.push({ text: '\n' });
    else if (token.type === 'html') {
      if (/^<br\s*\/?>$/i.test(token.raw)) runs.push({ text: '\n' });
    } else if (token.type === 'text' && (token as Tokens.Text).tokens)
      runs.push(...markdownInline((token as Tokens.Text).tokens, marks));
    else if (token.type === 'text' || token.type === 'escape')
      runs.push({ ...marks, text: (token as Tokens.Text).text });
  }
  return runs;
}

function markdownBlocks(tokens: Token[], counter: { images: number }): NotesBlock[] {
  const blocks: NotesBlock[] = [];
  for (const token of tokens) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      blocks.push({ type: 'heading', level: heading.depth, runs: markdownInline(heading.tokens) });
    } else if (token.type === 'paragraph' || token.type === 'text') {
      const inline = (token as Tokens.Paragraph).tokens;
      counter.images += (inline ?? []).filter((child) => child.type === 'image').length;
      blocks.push(paragraph(markdownInline(inline)));
    } else if (token.type === 'list') {
      const list = token as Tokens.List;
      const items = list.items.map((item) => ({
        ...(item.task ? { checked: Boolean(item.checked) } : {}),
        blocks: markdownBlocks(
          item.tokens.filter((child) => child.type !== 'checkbox'),
          counter,
        ),
      }));
      const kind = list.items.some((item) => item.task) ? 'task' : list.ordered ? 'ordered' : 'bullet';
      blocks.push({ type: 'list', kind, start: Number(list.start) || 1, items });
    } else if (token.type === 'table') {
      const table = token as Tokens.Table;
      const cell = (header: boolean) => (value: Tokens.TableCell) => ({
        header,
        blocks: [paragraph(markdownInline(value.tokens))],
      });
      blocks.push({
        type: 'table',
        rows: [table.header.map(cell(true)), ...table.rows.map((row) => row.map(cell(false)))],
      });
    } else if (token.type === 'blockquote')
      blocks.push({ type: 'quote', blocks: markdownBlocks((token as Tokens.Blockquote).tokens, counter) });
    else if (token.type === 'code') blocks.push({ type: 'code', text: (token as Tokens.Code).text });
    else if (token.type === 'hr') blocks.push({ type: 'rule' });
  }
  return blocks;
}

/** When the Markdown being read must be done (see importLimits.markdownMillis). */
let markdownDeadline = Number.POSITIVE_INFINITY;

/**
 * marked with a look at the clock before each of its steps (a step that returns false hands over
 * to marked's own). A step reads one token, scanning at most the rest of its block; it is their
 * number that grows with the square of the input, so the clock bounds the whole.
 */
const markdown = new Marked({
  gfm: true,
  tokenizer: Object.fromEntries(
    ['space', 'code', 'fences', 'heading', 'hr', 'blockquote', 'list', 'html', 'def', 'table', 'lheading']
      .concat(['paragraph', 'text', 'escape', 'tag', 'link', 'reflink', 'emStrong', 'codespan', 'br', 'del'])
      .concat(['autolink', 'url', 'inlineText'])
      .map((name) => [
        name,
        () => {
          if (performance.now() > markdownDeadline) throw tooComplex();
          return false;
        },
      ]),
  ) as Partial<Tokenizer>,
});

/** Markdown (GFM) as notes. */
export function markdownToNotes(text: string): ImportedNotes {
  const counter = { images: 0 };
  markdownDeadline = performance.now() + importLimits.markdownMillis;
  let tokens: Token[];
  try {
    tokens = markdown.lexer(text);
  } finally {
    markdownDeadline = Number.POSITIVE_INFINITY;
  }
  const blocks = markdownBlocks(tokens, counter);
  return { blocks, droppedImages: counter.images };
}

// HTML from mammoth (DOCX) ---------------------------------------------------------------------

function htmlInline(nodes: XmlNode[], marks: Omit<TextRun, 'text'>, counter: { images: number }): TextRun[] {
  const runs: TextRun[] = [];
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') runs.push({ ...marks, text: String(node['#text']) });
    else if (name === 'br') runs.push({ text: '\n' });
    else if (name === 'img') counter.images += 1;
    else if (name === 'strong' || name === 'b')
      runs.push(...htmlInline(childrenOf(node), { ...marks, bold: true }, counter));
    else if (name === 'em' || name === 'i')
      runs.push(...htmlInline(childrenOf(node), { ...marks, italic: true }, counter));
    else if (name === 's' || name === 'del')
      runs.push(...htmlInline(childrenOf(node), { ...marks, strike: true }, counter));
    else if (name === 'u') runs.push(...htmlInline(childrenOf(node), { ...marks, underline: true }, counter));
    else if (name === 'a' && attributes(node).href)
      runs.push(...htmlInline(childrenOf(node), { ...marks, href: attributes(node).href }, counter));
    else runs.push(...htmlInline(childrenOf(node), marks, counter));
  }
  return runs.filter((run) => run.text !== '');
}

const blockTags = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre']);

function htmlBlocks(nodes: XmlNode[], counter: { images: number }): NotesBlock[] {
  const blocks: NotesBlock[] = [];
  let loose: XmlNode[] = [];
  const flush = () => {
    const runs = htmlInline(loose, {}, counter);
    if (runs.some((run) => run.text.trim())) blocks.push(paragraph(runs));
    loose = [];
  };
  for (const node of nodes) {
    const name = nameOf(node);
    if (!blockTags.has(name) && name !== 'li' && name !== 'thead' && name !== 'tbody') {
      loose.push(node);
      continue;
    }
    flush();
    if (/^h[1-6]$/.test(name))
      blocks.push({ type: 'heading', level: Number(name[1]), runs: htmlInline(childrenOf(node), {}, counter) });
    else if (name === 'p') blocks.push(paragraph(htmlInline(childrenOf(node), {}, counter)));
    else if (name === 'ul' || name === 'ol') {
      const items = childrenOf(node)
        .filter((child) => nameOf(child) === 'li')
        .map((child) => ({ blocks: htmlBlocks(childrenOf(child), counter) }));
      blocks.push({ type: 'list', kind: name === 'ol' ? 'ordered' : 'bullet', start: 1, items });
    } else if (name === 'table') {
      const rows: TableCell[][] = [];
      const collect = (children: XmlNode[]) => {
        for (const child of children) {
          const childName = nameOf(child);
          if (childName === 'thead' || childName === 'tbody') collect(childrenOf(child));
          else if (childName === 'tr')
            rows.push(
              childrenOf(child)
                .filter((cell) => ['td', 'th'].includes(nameOf(cell)))
                .map((cell) => ({ header: nameOf(cell) === 'th', blocks: htmlBlocks(childrenOf(cell), counter) })),
            );
        }
      };
      collect(childrenOf(node));
      blocks.push({ type: 'table', rows });
    } else if (name === 'blockquote') blocks.push({ type: 'quote', blocks: htmlBlocks(childrenOf(node), counter) });
    else if (name === 'pre')
      blocks.push({
        type: 'code',
        text: htmlInline(childrenOf(node), {}, counter)
          .map((run) => run.text)
          .join(''),
      });
    else blocks.push(...htmlBlocks(childrenOf(node), counter));
  }
  flush();
  return tasksFromMarks(blocks);
}

/** Paragraphs in a row that start with ☑/☐ (as our DOCX export writes task items) become a task list. */
function tasksFromMarks(blocks: NotesBlock[]): NotesBlock[] {
  const out: NotesBlock[] = [];
  for (const block of blocks) {
    const marked = block.type === 'paragraph' && /^[\u2611\u2610]/.test(block.runs[0]?.text ?? '');
    const last = out.at(-1);
    if (marked) {
      const { items } = taskList([{ blocks: [block] }]);
      if (last?.type === 'list' && last.kind === 'task') last.items.push(...items);
      else out.push({ type: 'list', kind: 'task', start: 1, items });
    } else out.push(block);
  }
  return out;
}

/** A DOCX file as notes. */
export async function docxToNotes(bytes: Uint8Array): Promise<ImportedNotes> {
  checkZip(bytes);
  const counter = { images: 0 };
  const { value: html } = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      // Images are counted, not embedded: notes hold no images.
      convertImage: mammoth.images.imgElement(async () => {
        counter.images += 1;
        return { src: '' };
      }),
    },
  );
  const nodes = xml.parse(`<root>${html}</root>`) as XmlNode[];
  const blocks = htmlBlocks(childrenOf(nodes[0]!), { images: 0 });
  return { blocks, droppedImages: counter.images };
}

// ODT ----------------------------------------------------------------------------------------------

interface OdtStyles {
  /** Text style name → marks. */
  text: Map<string, Omit<TextRun, 'text'>>;
  /** List style name → bullet character of level 1 (☑/☐ mark task lists), or 'number'. */
  lists: Map<string, string>;
}

function odtStyles(nodes: XmlNode[], styles: OdtStyles = { text: new Map(), lists: new Map() }): OdtStyles {
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') continue;
    if (name === 'style:style') {
      const properties = childrenOf(node).find((child) => nameOf(child) === 'style:text-properties');
      const values = properties ? attributes(properties) : {};
      styles.text.set(attributes(node)['style:name'] ?? '', {
        ...(values['fo:font-weight'] === 'bold' ? { bold: true } : {}),
        ...(values['fo:font-style'] === 'italic' ? { italic: true } : {}),
        ...(values['style:text-underline-style'] && values['style:text-underline-style'] !== 'none'
          ? { underline: true }
          : {}),
        ...(values['style:text-line-through-style'] && values['style:text-line-through-style'] !== 'none'
          ? { strike: true }
          : {}),
      });
    } else if (name === 'text:list-style') {
      const first = childrenOf(node).find((child) => nameOf(child) !== '#text');
      const bullet =
        first && nameOf(first) === 'text:list-level-style-number'
          ? 'number'
          : ((first && attributes(first)['text:bullet-char']) ?? '•');
      styles.lists.set(attributes(node)['style:name'] ?? '', bullet);
    } else odtStyles(childrenOf(node), styles);
  }
  return styles;
}

/**
 * The spaces a `<text:s text:c="n"/>` stands for, at most 100: five of them with n = 100,000,000
 * in a 325-byte file took 7 s and 1.6 GB before the import failed, and fewer made a document of
 * hundreds of MB. Real documents repeat a space a few times.
 */
const spaceCount = (given: string | undefined) => Math.min(Math.max(Number(given ?? 1) || 0, 0), 100);

function odtInline(
  nodes: XmlNode[],
  marks: Omit<TextRun, 'text'>,
  styles: OdtStyles,
  counter: { images: number },
): TextRun[] {
  const runs: TextRun[] = [];
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') runs.push({ ...marks, text: String(node['#text']) });
    else if (name === 'text:line-break') runs.push({ text: '\n' });
    else if (name === 'text:s') runs.push({ ...marks, text: ' '.repeat(spaceCount(attributes(node)['text:c'])) });
    else if (name === 'text:tab') runs.push({ ...marks, text: '\t' });
    else if (name === 'draw:frame') counter.images += 1;
    else if (name === 'text:span')
      runs.push(
        ...odtInline(
          childrenOf(node),
          { ...marks, ...styles.text.get(attributes(node)['text:style-name'] ?? '') },
          styles,
          counter,
        ),
      );
    else if (name === 'text:a')
      runs.push(...odtInline(childrenOf(node), { ...marks, href: attributes(node)['xlink:href'] }, styles, counter));
    else if (!name.startsWith('office:annotation')) runs.push(...odtInline(childrenOf(node), marks, styles, counter));
  }
  return runs.filter((run) => run.text !== '');
}

function odtBlocks(nodes: XmlNode[], styles: OdtStyles, counter: { images: number }, listStyle?: string): NotesBlock[] {
  const blocks: NotesBlock[] = [];
  for (const node of nodes) {
    const name = nameOf(node);
    const attrs = attributes(node);
    if (name === 'text:h')
      blocks.push({
        type: 'heading',
        level: Number(attrs['text:outline-level'] ?? 2),
        runs: odtInline(childrenOf(node), {}, styles, counter),
      });
    else if (name === 'text:p') blocks.push(paragraph(odtInline(childrenOf(node), {}, styles, counter)));
    else if (name === 'text:list') {
      const style = attrs['text:style-name'] ?? listStyle ?? '';
      const bullet = styles.lists.get(style) ?? '•';
      const items: ListItem[] = childrenOf(node)
        .filter((child) => nameOf(child) === 'text:list-item' || nameOf(child) === 'text:list-header')
        .map((child) => {
          const override = styles.lists.get(attributes(child)['text:style-override'] ?? '');
          const mark = override ?? bullet;
          return {
            ...(mark === '☑' || mark === '☐' ? { checked: mark === '☑' } : {}),
            blocks: odtBlocks(childrenOf(child), styles, counter, style),
          };
        });
      const task = items.length > 0 && items.every((item) => item.checked !== undefined);
      const start = Number(
        childrenOf(node).find((child) => nameOf(child) === 'text:list-item')?.[':@']?.['text:start-value'] ?? 1,
      );
      blocks.push({ type: 'list', kind: task ? 'task' : bullet === 'number' ? 'ordered' : 'bullet', start, items });
    } else if (name === 'table:table') {
      const rows: TableCell[][] = [];
      const collect = (children: XmlNode[], header: boolean) => {
        for (const child of children) {
          const childName = nameOf(child);
          if (childName === 'table:table-header-rows') collect(childrenOf(child), true);
          else if (childName === 'table:table-rows' || childName === 'table:table-row-group')
            collect(childrenOf(child), header);
          else if (childName === 'table:table-row')
            rows.push(
              childrenOf(child)
                .filter((cell) => nameOf(cell) === 'table:table-cell')
                .map((cell) => ({ header, blocks: odtBlocks(childrenOf(cell), styles, counter) })),
            );
        }
      };
      collect(childrenOf(node), false);
      blocks.push({ type: 'table', rows });
    } else if (
      name === 'text:section' ||
      name === 'office:text' ||
      name === 'office:body' ||
      name === 'office:document-content'
    )
      blocks.push(...odtBlocks(childrenOf(node), styles, counter));
  }
  return blocks;
}

/** An ODT file as notes. */
export async function odtToNotes(bytes: Uint8Array): Promise<ImportedNotes> {
  checkZip(bytes);
  const zip = await JSZip.loadAsync(bytes);
  const content = await zip.file('content.xml')?.async('string');
  if (!content) throw new Error('content.xml missing');
  const stylesXml = (await zip.file('styles.xml')?.async('string')) ?? '';
  const nodes = xml.parse(content) as XmlNode[];
  const styles = odtStyles([...(stylesXml ? (xml.parse(stylesXml) as XmlNode[]) : []), ...nodes]);
  const counter = { images: 0 };
  const blocks = odtBlocks(nodes, styles, counter);
  return { blocks, droppedImages: counter.images };
}
