import type { ExportHeading, NotesBlock } from '@nordraum/domain';
import { notesToMarkdown } from '@nordraum/domain';

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

/** Notes in `format`. The writers are loaded on first use: the server imports this module for the formats. */
export async function exportNotes(format: NotesFormat, blocks: NotesBlock[], heading: ExportHeading) {
  switch (format) {
    case 'md':
      return new TextEncoder().encode(notesToMarkdown(blocks, heading));
    case 'docx':
      return (await import('./notes-docx.ts')).notesToDocx(blocks, heading);
    case 'odt':
      return (await import('./notes-odt.ts')).notesToOdt(blocks, heading);
    case 'pdf':
      return (await import('./notes-pdf.ts')).notesToPdf(blocks, heading);
  }
}
