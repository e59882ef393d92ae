import {
  docOf,
  type ExportHeading,
  type ExportTable,
  type Milestone,
  type NotesBlock,
  readNotesTree,
  type Theme,
} from '@nordraum/domain';
import { exportNotes, type NotesFormat } from './notes-export.ts';
import { tableToOds } from './notes-odt.ts';
import { roadmapToPdf } from './roadmap-pdf.ts';
import { tableToXlsx } from './spreadsheet.ts';

/**
 * What an export worker renders: plain data only, so a job crosses to a worker thread by
 * structured clone and the worker needs no database and no sync server. A protocol comes as its
 * Yjs state (one update, which a loaded document keeps encoded) and is read in the worker too:
 * reading a 50-page protocol into blocks takes 5 to 10 ms that the main thread does not spend.
 */
export type RenderJob =
  | { type: 'notes'; format: NotesFormat; state: Uint8Array; heading: ExportHeading }
  | { type: 'roadmap-pdf'; themes: Theme[]; milestones: Milestone[]; table: ExportTable; heading: ExportHeading }
  | { type: 'xlsx' | 'ods'; table: ExportTable; sheetName: string; title: string };

/** Renders `job` into the file's bytes, in whichever thread calls it. */
export function renderJob(job: RenderJob): Promise<Uint8Array> {
  switch (job.type) {
    case 'notes':
      return exportNotes(job.format, notesOf(job.state), job.heading);
    case 'roadmap-pdf':
      return roadmapToPdf(job.themes, job.milestones, job.table, job.heading);
    case 'xlsx':
      return tableToXlsx(job.table, job.sheetName, job.title);
    case 'ods':
      return tableToOds(job.table, job.sheetName, job.title);
  }
}

function notesOf(state: Uint8Array): NotesBlock[] {
  const doc = docOf(state);
  try {
    return readNotesTree(doc);
  } finally {
    doc.destroy();
  }
}
