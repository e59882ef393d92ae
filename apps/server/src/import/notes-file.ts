import { type ContentEntry, contentEntries, type NotesBlock, runsText, writeNotesTree } from '@nordraum/domain';
import * as Y from 'yjs';
import { checkNotesSize, type OverLimit, refusalOf } from './import-limits.ts';
import type { ImportedNotes } from './notes-import.ts';

/**
 * A file imported into a new notes document, from its bytes to the document's first Yjs update.
 * Plain data in and out, so the work (unzipping, mammoth, XML, building the Y.Doc: about a second
 * of CPU for a 5 MB DOCX) runs in the export render process instead of the thread that serves live editing.
 */

type NotesReaders = typeof import('./notes-import.ts');

// The readers (mammoth, marked, the XML parsers) are loaded by the first import, not with the server.
const readers: Record<string, (from: NotesReaders, bytes: Uint8Array) => Promise<ImportedNotes>> = {
  md: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  markdown: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  txt: async (from, bytes) => from.markdownToNotes(new TextDecoder().decode(bytes)),
  docx: (from, bytes) => from.docxToNotes(bytes),
  odt: (from, bytes) => from.odtToNotes(bytes),
};

/** Whether files with this extension (lower case, no dot) import into notes. */
export function isNotesFileExtension(extension: string): boolean {
  return Object.hasOwn(readers, extension);
}

/** What the import of one file is given. */
export interface NotesFileJob {
  type: 'import-notes';
  /** The file's extension, lower case: one {@link isNotesFileExtension} accepts. */
  extension: string;
  bytes: Uint8Array;
  fileName: string;
  /** The title the user gave, if any. */
  title: string | undefined;
}

/**
 * The new document's title and content, with the items the search index holds for it (read from
 * the same document, so their ids match), or `unreadable` when the file is damaged or not of its
 * type, with the `refusal` when it is over one of the import's limits.
 */
export type NotesFileResult =
  | { readable: true; title: string; update: Uint8Array; droppedImages: number; searchEntries: ContentEntry[] }
  | { readable: false; refusal?: OverLimit };

/** Reads `job.bytes` and writes the notes document they give; see {@link NotesFileResult}. */
export async function importNotesFile(job: NotesFileJob): Promise<NotesFileResult> {
  let imported: ImportedNotes;
  try {
    imported = await readers[job.extension]!(await import('./notes-import.ts'), job.bytes);
    // Writing the Y.Doc costs more than reading the file: its size is checked before.
    checkNotesSize(imported.blocks);
  } catch (error) {
    const refusal = refusalOf(error);
    return refusal ? { readable: false, refusal } : { readable: false };
  }
  const { title, blocks } = titleAndBlocks(imported, job.title, job.fileName);
  const doc = new Y.Doc();
  try {
    writeNotesTree(doc, blocks);
    return {
      readable: true,
      title,
      update: Y.encodeStateAsUpdate(doc),
      droppedImages: imported.droppedImages,
      searchEntries: contentEntries('notes', doc, () => null),
    };
  } finally {
    doc.destroy();
  }
}

/**
 * The title (given, else the file's first level-1 heading, which then leaves the text, else the
 * file name) and the blocks with headings in the editor's levels 2–4.
 */
function titleAndBlocks(imported: ImportedNotes, given: string | undefined, fileName: string) {
  let blocks = imported.blocks;
  let title = given?.trim();
  const first = blocks[0];
  if (first?.type === 'heading' && first.level === 1) {
    title ||= runsText(first.runs).trim();
    blocks = blocks.slice(1);
  }
  title ||= fileName.replace(/\.[^.]+$/, '').trim() || 'Import';
  const clamp = (items: NotesBlock[]): NotesBlock[] =>
    items.map((block) => {
      if (block.type === 'heading') return { ...block, level: Math.min(Math.max(block.level, 2), 4) };
      if (block.type === 'list')
        return { ...block, items: block.items.map((item) => ({ ...item, blocks: clamp(item.blocks) })) };
      if (block.type === 'quote') return { ...block, blocks: clamp(block.blocks) };
      if (block.type === 'table')
        return {
          ...block,
          rows: block.rows.map((row) => row.map((cell) => ({ ...cell, blocks: clamp(cell.blocks) }))),
        };
      return block;
    });
  return { title: title.slice(0, 200), blocks: clamp(blocks) };
}
