import type { NotesBlock } from '@nordraum/domain';

/**
 * What an import refuses to read although the file is of its type and within 20 MB: a file whose
 * reading would cost the server more than any real protocol or action list does. The readers throw
 * {@link ImportLimitError}; the routes answer with its refusal, so the user learns why (and that
 * nothing was imported) instead of a server that stops answering.
 */

/** Why an import was refused: its zip unpacks to too much, or its content is too large or deep. */
export type OverLimit = 'unpacked_too_large' | 'too_complex';

/** A file over one of the import's limits. */
export class ImportLimitError extends Error {
  readonly refusal: OverLimit;

  constructor(refusal: OverLimit, message: string) {
    super(message);
    this.name = 'ImportLimitError';
    this.refusal = refusal;
  }
}

/**
 * The refusal of an error a reader threw, if it was one of the limits. A stack overflow is one:
 * the readers recurse into nested lists and quotes, and thousands of levels take the stack.
 */
export function refusalOf(error: unknown): OverLimit | undefined {
  if (error instanceof ImportLimitError) return error.refusal;
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'too_complex';
  return undefined;
}

/**
 * The limits, well above real files: a DOCX, ODT or XLSX has tens of entries (a few hundred with
 * many images), and photos do not compress, so a 20 MB file of them unpacks to little more. mammoth
 * holds about 70 bytes per byte of document.xml (a 40 MB document.xml took 2.9 GB and a minute),
 * so the entry limit is what bounds a DOCX's memory.
 */
export const importLimits = {
  /** All entries of a zip (DOCX, ODT, XLSX) together, unpacked: 100 MB. */
  unpackedBytes: 100 * 1024 * 1024,
  /** One entry of a zip, unpacked: 20 MB. */
  entryBytes: 20 * 1024 * 1024,
  /** Entries of a zip: real files have tens, a few hundred with many images. */
  entries: 10_000,
  /**
   * Blocks, list items, table cells and text runs of an imported notes document. A 2 MB Markdown
   * file of ordinary minutes (headings, lists, small tables, some bold and links) gives 70,000
   * blocks, took 17 s to import and 1.1 GB; a 20 MB one would take the server down with it.
   */
  notesNodes: 100_000,
  /** Characters of an imported notes document: 10 million, some 5,000 pages. */
  notesChars: 10_000_000,
  /**
   * The time Markdown's reading (marked's lexer) may take. Some inputs take it quadratic time: 400
   * KB of `*a` took 54 s, and 2,000 nested list levels in 4 MB took 75 s and 3 GB.
   */
  markdownMillis: 10_000,
};

/** Throws when `blocks` hold more than {@link importLimits}' `notesNodes` or `notesChars`. */
export function checkNotesSize(blocks: readonly NotesBlock[]): void {
  let nodes = 0;
  let chars = 0;
  const count = (items: readonly NotesBlock[]) => {
    for (const block of items) {
      nodes += 1;
      if ('runs' in block)
        for (const run of block.runs) {
          nodes += 1;
          chars += run.text.length;
        }
      else if (block.type === 'code') chars += block.text.length;
      if (nodes > importLimits.notesNodes || chars > importLimits.notesChars) throw tooComplex();
      if (block.type === 'list')
        for (const item of block.items) {
          nodes += 1;
          count(item.blocks);
        }
      else if (block.type === 'quote') count(block.blocks);
      else if (block.type === 'table')
        for (const cell of block.rows.flat()) {
          nodes += 1;
          count(cell.blocks);
        }
    }
  };
  count(blocks);
  if (nodes > importLimits.notesNodes || chars > importLimits.notesChars) throw tooComplex();
}

/** The refusal of a file with more content than {@link importLimits} allow. */
export const tooComplex = () =>
  new ImportLimitError('too_complex', 'The file holds too much or too deeply nested content to import.');
