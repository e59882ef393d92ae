import * as Y from 'yjs';

/**
 * The one intermediate form of a notes document that every writer (Markdown, DOCX, ODT, PDF) and
 * every importer uses: blocks of runs, read from and written to the TipTap/ProseMirror shape in
 * the Yjs `default` XmlFragment. Node and mark names are TipTap's (StarterKit, task list, table).
 * Marks live as attributes of XmlText; y-prosemirror names overlapping marks `name--hash`, so a
 * mark is known by the part before `--`. What the tree does not know (an unknown node) keeps its
 * text as a paragraph: an export never loses words.
 */

/** A stretch of text with one set of marks; a hard line break is a run of `"\n"`. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  /** The link target, when the run is a link. */
  href?: string;
}

export interface ListItem {
  /** `true`/`false` for items of a task list, `undefined` otherwise. */
  checked?: boolean;
  blocks: NotesBlock[];
}

export interface TableCell {
  header: boolean;
  blocks: NotesBlock[];
}

export type NotesBlock =
  | { type: 'heading'; level: number; runs: TextRun[] }
  | { type: 'paragraph'; runs: TextRun[] }
  | { type: 'list'; kind: 'bullet' | 'ordered' | 'task'; start: number; items: ListItem[] }
  | { type: 'table'; rows: TableCell[][] }
  | { type: 'quote'; blocks: NotesBlock[] }
  | { type: 'code'; text: string }
  | { type: 'rule' };

const markNames = ['bold', 'italic', 'underline', 'strike', 'code'] as const;

/** The document's blocks, in reading order. */
export function readNotesTree(doc: Y.Doc): NotesBlock[] {
  return readBlocks(doc.getXmlFragment('default'));
}

function readBlocks(parent: Y.XmlFragment | Y.XmlElement): NotesBlock[] {
  const blocks: NotesBlock[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) blocks.push(...readBlock(child));
    else if (child instanceof Y.XmlText && child.length > 0) blocks.push({ type: 'paragraph', runs: readRuns(child) });
  }
  return blocks;
}

function readBlock(element: Y.XmlElement): NotesBlock[] {
  switch (element.nodeName) {
    case 'paragraph':
      return [{ type: 'paragraph', runs: readInline(element) }];
    case 'heading':
      return [{ type: 'heading', level: clampLevel(Number(element.getAttribute('level'))), runs: readInline(element) }];
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      return [readList(element)];
    case 'table':
      return [{ type: 'table', rows: readRows(element) }];
    case 'blockquote':
      return [{ type: 'quote', blocks: readBlocks(element) }];
    case 'codeBlock':
      return [
        {
          type: 'code',
          text: readInline(element)
            .map((run) => run.text)
            .join(''),
        },
      ];
    case 'horizontalRule':
      return [{ type: 'rule' }];
    default: {
      const inner = readBlocks(element);
      return inner.length > 0 ? inner : [{ type: 'paragraph', runs: readInline(element) }];
    }
  }
}

function clampLevel(level: number): number {
  return Number.isInteger(level) ? Math.min(Math.max(level, 1), 6) : 2;
}

function readList(element: Y.XmlElement): NotesBlock {
  const kind = element.nodeName === 'orderedList' ? 'ordered' : element.nodeName === 'taskList' ? 'task' : 'bullet';
  const start = Number(element.getAttribute('start') ?? 1);
  const items = element
    .toArray()
    .filter((child): child is Y.XmlElement => child instanceof Y.XmlElement)
    .map((item) => {
      const checked = item.getAttribute('checked') as unknown;
      return {
        ...(kind === 'task' ? { checked: checked === true || checked === 'true' } : {}),
        blocks: readBlocks(item),
      };
    });
  return { type: 'list', kind, start: Number.isInteger(start) && start > 0 ? start : 1, items };
}

function readRows(table: Y.XmlElement): TableCell[][] {
  return table
    .toArray()
    .filter((row): row is Y.XmlElement => row instanceof Y.XmlElement)
    .map((row) =>
      row
        .toArray()
        .filter((cell): cell is Y.XmlElement => cell instanceof Y.XmlElement)
        .map((cell) => ({ header: cell.nodeName === 'tableHeader', blocks: readBlocks(cell) })),
    );
}

function readInline(element: Y.XmlElement): TextRun[] {
  const runs: TextRun[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) runs.push(...readRuns(child));
    else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') runs.push({ text: '\n' });
    else if (child instanceof Y.XmlElement) runs.push(...readInline(child));
  }
  return mergeRuns(runs);
}

function readRuns(text: Y.XmlText): TextRun[] {
  const runs: TextRun[] = [];
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') continue;
    const run: TextRun = { text: op.insert };
    for (const [name, value] of Object.entries(op.attributes ?? {})) {
      const mark = name.replace(/--[a-zA-Z0-9+/=]{8}$/, '');
      if ((markNames as readonly string[]).includes(mark)) run[mark as (typeof markNames)[number]] = true;
      if (mark === 'link' && value && typeof (value as { href?: unknown }).href === 'string')
        run.href = (value as { href: string }).href;
    }
    runs.push(run);
  }
  return runs;
}

/** Neighbouring runs with the same marks become one. */
function mergeRuns(runs: TextRun[]): TextRun[] {
  const merged: TextRun[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last && run.text !== '\n' && last.text !== '\n' && sameMarks(last, run)) last.text += run.text;
    else merged.push({ ...run });
  }
  return merged;
}

function sameMarks(a: TextRun, b: TextRun): boolean {
  return markNames.every((mark) => Boolean(a[mark]) === Boolean(b[mark])) && a.href === b.href;
}

/** The plain text of runs (hard breaks as newlines). */
export function runsText(runs: TextRun[]): string {
  return runs.map((run) => run.text).join('');
}

/**
 * The readable text of blocks, one line per text block, in reading order: what an export must
 * contain, word for word. Task items are prefixed with nothing: the check box is structure.
 */
export function blocksText(blocks: NotesBlock[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'heading' || block.type === 'paragraph') lines.push(runsText(block.runs));
    else if (block.type === 'code') lines.push(block.text);
    else if (block.type === 'quote') lines.push(...blocksText(block.blocks));
    else if (block.type === 'list') for (const item of block.items) lines.push(...blocksText(item.blocks));
    else if (block.type === 'table')
      for (const row of block.rows) for (const cell of row) lines.push(...blocksText(cell.blocks));
  }
  return lines;
}

/** Replaces a notes document's content by `blocks`, in one transaction (for imports and templates). */
export function writeNotesTree(doc: Y.Doc, blocks: NotesBlock[]): void {
  const fragment = doc.getXmlFragment('default');
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.insert(0, blocks.map(blockElement));
  });
}

function element(name: string, attributes: Record<string, unknown>, children: (Y.XmlElement | Y.XmlText)[]) {
  const node = new Y.XmlElement(name);
  // y-prosemirror keeps attribute values as they are (numbers, booleans), so do we.
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  node.insert(0, children);
  return node;
}

function blockElement(block: NotesBlock): Y.XmlElement {
  switch (block.type) {
    case 'heading':
      return element('heading', { level: block.level }, inlineChildren(block.runs));
    case 'paragraph':
      return element('paragraph', {}, inlineChildren(block.runs));
    case 'code':
      return element('codeBlock', {}, block.text ? [new Y.XmlText(block.text)] : []);
    case 'rule':
      return element('horizontalRule', {}, []);
    case 'quote':
      return element('blockquote', {}, itemBlocks(block.blocks));
    case 'list': {
      const name = { bullet: 'bulletList', ordered: 'orderedList', task: 'taskList' }[block.kind];
      const items = block.items.map((item) =>
        block.kind === 'task'
          ? element('taskItem', { checked: Boolean(item.checked) }, itemBlocks(item.blocks))
          : element('listItem', {}, itemBlocks(item.blocks)),
      );
      return element(name, block.kind === 'ordered' ? { start: block.start } : {}, items);
    }
    case 'table':
      return element(
        'table',
        {},
        block.rows.map((row) =>
          element(
            'tableRow',
            {},
            row.map((cell) =>
              element(cell.header ? 'tableHeader' : 'tableCell', { colspan: 1, rowspan: 1 }, itemBlocks(cell.blocks)),
            ),
          ),
        ),
      );
  }
}

/** List items and table cells hold at least one paragraph, as the schema demands. */
function itemBlocks(blocks: NotesBlock[]): Y.XmlElement[] {
  return (blocks.length > 0 ? blocks : [{ type: 'paragraph' as const, runs: [] }]).map(blockElement);
}

function inlineChildren(runs: TextRun[]): (Y.XmlElement | Y.XmlText)[] {
  const children: (Y.XmlElement | Y.XmlText)[] = [];
  let text: Y.XmlText | null = null;
  let offset = 0;
  for (const run of runs) {
    if (run.text === '\n') {
      children.push(new Y.XmlElement('hardBreak'));
      text = null;
      continue;
    }
    if (!run.text) continue;
    if (!text) {
      text = new Y.XmlText();
      offset = 0;
      children.push(text);
    }
    // Before the text is in a document, Yjs keeps these inserts and applies them on insertion.
    const attributes: Record<string, unknown> = {};
    for (const mark of markNames) if (run[mark]) attributes[mark] = {};
    if (run.href) attributes.link = { href: run.href, target: '_blank', rel: 'noopener noreferrer nofollow' };
    text.insert(offset, run.text, attributes);
    offset += run.text.length;
  }
  return children;
}
