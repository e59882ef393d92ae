import type { ExportHeading, NotesBlock } from '@nordraum/domain';
import { notesToMarkdown } from '@nordraum/domain';
import { notesToDocx } from './notes-docx.ts';
import { notesToOdt } from './notes-odt.ts';
import { notesToPdf } from './notes-pdf.ts';

/** The formats a notes document exports to, with their media types. */
export const notesFormats = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  pdf: 'application/pdf',
} as const;

export type NotesFormat = keyof typeof notesFormats;

/** Whether `format` is one a notes document exports to. */
export function isNotesFormat(format: string): format is NotesFormat {
  return Object.hasOwn(notesFormats, format);
}

/** Notes in `format`. */
export async function exportNotes(format: NotesFormat, blocks: NotesBlock[], heading: ExportHeading) {
  switch (format) {
    case 'md':
      return new TextEncoder().encode(notesToMarkdown(blocks, heading));
    case 'docx':
      return notesToDocx(blocks, heading);
    case 'odt':
      return notesToOdt(blocks, heading);
    case 'pdf':
      return notesToPdf(blocks, heading);
  }
}
