import type { ExportHeading } from '@nordraum/domain';
import PDFDocument from 'pdfkit';
import { type FontFace, releasePdfFonts, takePdfFonts } from './pdf-fonts.ts';

/**
 * A tagged PDF as PDF/UA-1 asks for it, shared by the notes and the roadmap export: PDF 1.7,
 * document language de-DE, the title shown instead of the file name, fonts embedded, one
 * `Document` structure element under which callers add headings, paragraphs, lists and tables
 * in reading order. Running headers and footers (room, title, version; page numbers) are drawn
 * when the document is finished, on every page, as pagination artifacts outside the structure.
 */

export type PdfDoc = PDFKit.PDFDocument;
export type PdfStruct = PDFKit.PDFStructureElement;

export const pageMargins = { top: 72, bottom: 64, left: 57, right: 57 };

export interface TaggedPdf {
  doc: PdfDoc;
  /** The root structure element; add children to it in reading order. */
  root: PdfStruct;
  /** Selects a face and size. */
  use(face: FontFace, size: number): void;
  /** Draws the running header and footer on every page, closes the document, returns its bytes. */
  finish(): Promise<Uint8Array>;
}

/** Starts a tagged A4 document (`layout: 'landscape'` for timelines). */
export function createTaggedPdf(heading: ExportHeading, layout: 'portrait' | 'landscape' = 'portrait'): TaggedPdf {
  const fonts = takePdfFonts();
  const doc = new PDFDocument({
    pdfVersion: '1.7',
    tagged: true,
    subset: 'PDF/UA',
    lang: 'de-DE',
    displayTitle: true,
    bufferPages: true,
    size: 'A4',
    layout,
    margins: pageMargins,
    font: fonts.regular as unknown as string,
    info: { Title: heading.title, Subject: heading.roomName, Creator: 'Nordraum', Producer: 'Nordraum' },
    // @types/pdfkit lags the library: it lacks the 'PDF/UA' subset and fontkit fonts.
  } as unknown as PDFKit.PDFDocumentOptions);
  for (const [face, font] of Object.entries(fonts)) doc.registerFont(face, font as unknown as string);
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return {
    doc,
    root,
    use(face, size) {
      doc.font(face).fontSize(size);
    },
    async finish() {
      root.end();
      drawRunningHeads(doc, heading);
      doc.end();
      // The fonts are embedded by now: the next document may have them.
      releasePdfFonts(fonts);
      await done;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

function drawRunningHeads(doc: PdfDoc, heading: ExportHeading) {
  const range = doc.bufferedPageRange();
  const header = [heading.roomName, heading.title, ...heading.lines.slice(1)].join(' · ');
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const { width, height, margins } = doc.page;
    const bottom = margins.bottom;
    // Writing into the margins must not start a new page.
    margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' } as PDFKit.Mixins.MarkingOptions);
    doc.font('regular').fontSize(8).fillColor('#444444');
    doc.text(header, margins.left, 36, {
      width: width - margins.left - margins.right,
      lineBreak: false,
      ellipsis: true,
    });
    doc
      .moveTo(margins.left, 50)
      .lineTo(width - margins.right, 50)
      .lineWidth(0.5)
      .strokeColor('#808080')
      .stroke();
    doc.text(`Seite ${index - range.start + 1} von ${range.count}`, margins.left, height - 40, {
      width: width - margins.left - margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.fillColor('#000000');
    margins.bottom = bottom;
  }
}
