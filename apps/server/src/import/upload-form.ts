import { openAsBlob } from 'node:fs';
import { type OverLimit, refusalOf } from './import-limits.ts';
import { importNotesFile, isNotesFileExtension, type NotesFileResult } from './notes-file.ts';
import type { ReadRow } from './table-read.ts';

/**
 * An upload's multipart body read into its fields and its file, and the file read into what the
 * import needs (a notes document, or a spreadsheet's rows), from plain bytes: the export render process
 * does all of it. Parsing a 5 MB body, copying its file out and reading it held the thread that
 * serves live editing; so did the file's 5 MB coming back from the worker and going there again,
 * whose buffers made that thread's garbage collector stop it for 40 to 80 ms.
 */

/** The largest file an import takes: 20 MB. */
export const maxImportBytes = 20 * 1024 * 1024;

/** The most rows one action-list import takes: more than any action list a person reads. */
export const maxImportRows = 5_000;

/**
 * The columns of a spreadsheet an import reads (the mapping names columns 0 to 1,000), and the
 * characters it keeps of a cell: more than any field takes (an e-mail address has at most 254), so
 * a longer cell is still refused as too long. XLSX cells can share one string: one 100 KB string
 * in 500 rows of five columns made a 250 MB preview, and every copy crossed from the worker.
 */
export const maxImportColumns = 1_001;
export const maxImportCellChars = 1_000;

/** The extension of a file name, lower case, without the dot. */
export const extensionOf = (fileName: string) => fileName.split('.').pop()?.toLowerCase() ?? '';

const spreadsheetTypes = ['csv', 'xlsx'];
/** Whether a file imports into an action list (CSV or XLSX). */
export const isSpreadsheet = (fileName: string) => spreadsheetTypes.includes(extensionOf(fileName));

/**
 * What reading an upload is given: the file the request's body was written to
 * (http/request-body.ts; its writer removes it), its content type, and what the file is for:
 * `import` (into notes or an action list, by the form's `kind` and the file's type, as
 * `POST /rooms/:roomId/imports` decides) or `rows` (an action-list preview).
 */
export interface UploadFormJob {
  type: 'read-form';
  contentType: string;
  bodyFile: string;
  purpose: 'import' | 'rows';
}

/** The file of an upload: its name and size. */
export interface UploadedFile {
  name: string;
  size: number;
}

/**
 * What the file holds for its import: a new notes document, a spreadsheet's rows (null: it does
 * not read, with the `refusal` when it is over one of the import's limits), or nothing (over
 * 20 MB, or of a type its import does not take).
 */
export type UploadContent =
  | { type: 'notes'; notes: NotesFileResult }
  | { type: 'rows'; rows: ReadRow[] | null; refusal?: OverLimit }
  | { type: 'none' };

/**
 * The text fields (the last value of each name) and the field `file` with its content;
 * `readable: false` when a form's body does not parse. A body of another type is an empty form,
 * as Hono's parseBody has it.
 */
export type UploadForm =
  | { readable: true; fields: Record<string, string>; file: UploadedFile | null; content: UploadContent }
  | { readable: false };

/** The kind of document an import makes: the form's `kind`, else by the file's type. */
export function importKind(fields: Record<string, string>, fileName: string): string {
  return fields.kind ? fields.kind : isSpreadsheet(fileName) ? 'actions' : 'notes';
}

/** Reads `job.bodyFile` as multipart/form-data (or URL-encoded), and its file for `job.purpose`. */
export async function readUploadForm(job: UploadFormJob): Promise<UploadForm> {
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(job.contentType.trim())) {
    return { readable: true, fields: {}, file: null, content: { type: 'none' } };
  }
  let form: FormData;
  try {
    const request = new Request('http://upload.invalid/', {
      method: 'POST',
      // The file itself: a buffer of it would be copied again into the Blob.
      body: await openAsBlob(job.bodyFile),
      headers: { 'content-type': job.contentType },
    });
    form = await request.formData();
  } catch {
    return { readable: false };
  }
  const fields: Record<string, string> = {};
  let upload: File | null = null;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') upload = value;
  }
  if (!upload) return { readable: true, fields, file: null, content: { type: 'none' } };
  const file = { name: upload.name, size: upload.size };
  return { readable: true, fields, file, content: await contentOf(job.purpose, fields, upload) };
}

async function contentOf(purpose: UploadFormJob['purpose'], fields: Record<string, string>, file: File) {
  if (file.size > maxImportBytes) return { type: 'none' } as const;
  const kind = purpose === 'rows' ? 'actions' : importKind(fields, file.name);
  const extension = extensionOf(file.name);
  if (kind === 'notes' && isNotesFileExtension(extension)) {
    const notes = await importNotesFile({
      type: 'import-notes',
      extension,
      bytes: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name,
      title: fields.title,
    });
    return { type: 'notes', notes } as const;
  }
  if (kind === 'actions' && isSpreadsheet(file.name)) {
    // The readers (csv-parse, exceljs) are loaded by the first import, not at start.
    const { readCsv, readXlsx } = await import('./table-read.ts');
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { type: 'rows', rows: extension === 'csv' ? readCsv(bytes) : await readXlsx(bytes) } as const;
    } catch (error) {
      const refusal = refusalOf(error);
      return refusal ? ({ type: 'rows', rows: null, refusal } as const) : ({ type: 'rows', rows: null } as const);
    }
  }
  return { type: 'none' } as const;
}
