import { blocksText, type ExportHeading, type NotesBlock, type TextRun } from '@nordraum/domain';
import { createTaggedPdf, type PdfDoc, type PdfStruct, type TaggedPdf } from './pdf-document.ts';
import { faceOf } from './pdf-fonts.ts';

/**
 * Notes as a tagged PDF (PDF/UA-1 structure): the title is H1, the editor's headings keep their
 * level (H2–H4), paragraphs are P, lists L > LI > Lbl + LBody, tables Table > TR > TH/TD, links
 * Link elements holding their annotation. Reading order is drawing order. A task item's box is
 * drawn as a vector and its label carries the state as alternative text, so no text is an image
 * and the extracted text is the document's text.
 */

/** Where a block is laid out: its left edge and width. */
interface Frame {
  left: number;
  width: number;
}

const bodySize = 11;
const headingSizes = [20, 16, 13.5, 12, 11, 11];
const gap = 6;
const indent = 18;

function ensureRoom(doc: PdfDoc, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Runs as continued text inside `element`; links become Link elements with their annotation. */
function drawRuns(doc: PdfDoc, element: PdfStruct, runs: TextRun[], frame: Frame, size: number, bold = false) {
  const pieces = runs.filter((run) => run.text !== '');
  if (pieces.length === 0) pieces.push({ text: ' ' });
  doc.x = frame.left;
  pieces.forEach((run, index) => {
    const options = { width: frame.width, continued: index < pieces.length - 1, lineGap: 2 };
    const draw = () => {
      doc.font(faceOf({ bold: bold || run.bold, italic: run.italic })).fontSize(size);
      if (run.href) {
        doc.fillColor('#004b87').text(run.text, { ...options, link: run.href, underline: true });
        doc.fillColor('#000000');
      } else doc.text(run.text, { ...options, underline: Boolean(run.underline), strike: Boolean(run.strike) });
    };
    if (run.href) {
      const link = doc.struct('Link', { alt: run.text } as PDFKit.Mixins.StructureElementOptions);
      element.add(link);
      link.add(draw);
      link.end();
    } else element.add(draw);
  });
}

function paragraph(doc: PdfDoc, parent: PdfStruct, type: string, runs: TextRun[], frame: Frame, size: number) {
  ensureRoom(doc, size * 1.4);
  const element = doc.struct(type);
  parent.add(element);
  drawRuns(doc, element, runs, frame, size, type.startsWith('H'));
  element.end();
  doc.y += gap;
}

function drawMarker(doc: PdfDoc, label: PdfStruct, marker: string | boolean, frame: Frame, y: number) {
  if (typeof marker === 'boolean') {
    // A vector box (Fira Sans has no ballot box glyphs), ticked when done.
    label.add(() => {
      const x = frame.left + 2;
      const top = y + 2;
      doc.lineWidth(0.8).strokeColor('#000000').rect(x, top, 8.5, 8.5).stroke();
      if (marker)
        doc
          .moveTo(x + 1.8, top + 4.5)
          .lineTo(x + 3.8, top + 6.8)
          .lineTo(x + 7, top + 1.8)
          .stroke();
    });
    return;
  }
  label.add(() => {
    doc.font('regular').fontSize(bodySize).text(marker, frame.left, y, { width: indent, lineBreak: false });
  });
}

function list(
  doc: PdfDoc,
  parent: PdfStruct,
  block: Extract<NotesBlock, { type: 'list' }>,
  frame: Frame,
  depth: number,
) {
  const element = doc.struct('L');
  parent.add(element);
  block.items.forEach((item, index) => {
    ensureRoom(doc, bodySize * 1.5);
    const entry = doc.struct('LI');
    element.add(entry);
    const marker =
      block.kind === 'task'
        ? Boolean(item.checked)
        : block.kind === 'ordered'
          ? `${block.start + index}.`
          : depth % 2
            ? '–'
            : '•';
    const label = doc.struct(
      'Lbl',
      (typeof marker === 'boolean'
        ? { alt: marker ? 'erledigt' : 'offen' }
        : {}) as PDFKit.Mixins.StructureElementOptions,
    );
    entry.add(label);
    const y = doc.y;
    drawMarker(doc, label, marker, frame, y);
    label.end();
    doc.y = y;
    const body = doc.struct('LBody');
    entry.add(body);
    blocks(doc, body, item.blocks, { left: frame.left + indent, width: frame.width - indent }, depth + 1, 'list');
    body.end();
    entry.end();
  });
  element.end();
}

function cellHeight(doc: PdfDoc, cell: NotesBlock[], width: number): number {
  doc.font('regular').fontSize(bodySize);
  return blocksText(cell).reduce((sum, line) => sum + doc.heightOfString(line || ' ', { width, lineGap: 2 }) + gap, 0);
}

function table(doc: PdfDoc, parent: PdfStruct, block: Extract<NotesBlock, { type: 'table' }>, frame: Frame) {
  const columns = Math.max(1, ...block.rows.map((row) => row.length));
  const width = frame.width / columns;
  const padding = 4;
  const element = doc.struct('Table');
  parent.add(element);
  for (const row of block.rows) {
    const estimate = Math.max(...row.map((cell) => cellHeight(doc, cell.blocks, width - 2 * padding))) + 2 * padding;
    ensureRoom(doc, estimate);
    const top = doc.y;
    let bottom = top;
    const tr = doc.struct('TR');
    element.add(tr);
    row.forEach((cell, index) => {
      const cellElement = doc.struct(
        cell.header ? 'TH' : 'TD',
        (cell.header ? { scope: 'Column' } : {}) as PDFKit.Mixins.StructureElementOptions,
      );
      tr.add(cellElement);
      doc.y = top + padding;
      const left = frame.left + index * width;
      blocks(
        doc,
        cellElement,
        cell.header ? bolden(cell.blocks) : cell.blocks,
        { left: left + padding, width: width - 2 * padding },
        0,
        'cell',
      );
      cellElement.end();
      bottom = Math.max(bottom, doc.y - gap + padding);
    });
    tr.end();
    doc.markContent('Artifact');
    doc.lineWidth(0.5).strokeColor('#000000');
    for (let index = 0; index < columns; index++)
      doc.rect(frame.left + index * width, top, width, bottom - top).stroke();
    doc.endMarkedContent();
    doc.y = bottom;
  }
  element.end();
  doc.x = frame.left;
  doc.y += gap;
}

function bolden(items: NotesBlock[]): NotesBlock[] {
  return items.map((block) =>
    block.type === 'paragraph' ? { ...block, runs: block.runs.map((run) => ({ ...run, bold: true })) } : block,
  );
}

function rule(doc: PdfDoc, frame: Frame) {
  ensureRoom(doc, 12);
  doc.markContent('Artifact');
  doc
    .moveTo(frame.left, doc.y + 4)
    .lineTo(frame.left + frame.width, doc.y + 4)
    .lineWidth(0.5)
    .strokeColor('#808080')
    .stroke();
  doc.endMarkedContent();
  doc.y += 12;
}

function blocks(
  doc: PdfDoc,
  parent: PdfStruct,
  items: NotesBlock[],
  frame: Frame,
  depth: number,
  place: 'body' | 'list' | 'cell',
) {
  for (const block of items) {
    if (block.type === 'heading')
      paragraph(doc, parent, `H${block.level}`, block.runs, frame, headingSizes[block.level - 1]!);
    else if (block.type === 'paragraph') paragraph(doc, parent, 'P', block.runs, frame, bodySize);
    else if (block.type === 'code') paragraph(doc, parent, 'P', [{ text: block.text }], frame, bodySize - 1);
    else if (block.type === 'rule') rule(doc, frame);
    else if (block.type === 'list') list(doc, parent, block, frame, depth);
    else if (block.type === 'table') table(doc, parent, block, frame);
    else {
      const quote = doc.struct('BlockQuote');
      parent.add(quote);
      blocks(doc, quote, block.blocks, { left: frame.left + indent, width: frame.width - indent }, depth, place);
      quote.end();
    }
  }
}

/** The width between the page margins, from the left margin. */
export function pageFrame(doc: PdfDoc): Frame {
  return { left: doc.page.margins.left, width: doc.page.width - doc.page.margins.left - doc.page.margins.right };
}

/** The title as H1 and the heading lines (room, version or Stand, approval) under it. */
export function drawTitle(pdf: TaggedPdf, heading: ExportHeading) {
  const frame = pageFrame(pdf.doc);
  paragraph(pdf.doc, pdf.root, 'H1', [{ text: heading.title }], frame, headingSizes[0]!);
  for (const line of heading.lines) paragraph(pdf.doc, pdf.root, 'P', [{ text: line }], frame, 9.5);
  pdf.doc.y += gap;
}

/** Blocks at the current position, across the page width, under the document's root. */
export function drawBlocks(pdf: TaggedPdf, items: NotesBlock[]) {
  blocks(pdf.doc, pdf.root, items, pageFrame(pdf.doc), 0, 'body');
}

/** Notes as a tagged PDF. */
export async function notesToPdf(items: NotesBlock[], heading: ExportHeading): Promise<Uint8Array> {
  const pdf = createTaggedPdf(heading);
  drawTitle(pdf, heading);
  drawBlocks(pdf, items);
  return pdf.finish();
}
