import type { ExportHeading, ExportTable, Milestone, NotesBlock, Theme } from '@nordraum/domain';
import { exportNotes, type NotesFormat } from './notes-export.ts';
import { roadmapToPdf } from './roadmap-pdf.ts';
import { tableToXlsx } from './spreadsheet.ts';

/**
 * What an export worker renders: plain data only (the model read from the Yjs document on the
 * main thread), so a job crosses to a worker thread by structured clone and the worker needs no
 * database, no sync server and no Yjs.
 */
export type RenderJob =
  | { type: 'notes'; format: NotesFormat; blocks: NotesBlock[]; heading: ExportHeading }
  | { type: 'roadmap-pdf'; themes: Theme[]; milestones: Milestone[]; table: ExportTable; heading: ExportHeading }
  | { type: 'xlsx'; table: ExportTable; sheetName: string; title: string };

/** Renders `job` into the file's bytes, in whichever thread calls it. */
export function renderJob(job: RenderJob): Promise<Uint8Array> {
  switch (job.type) {
    case 'notes':
      return exportNotes(job.format, job.blocks, job.heading);
    case 'roadmap-pdf':
      return roadmapToPdf(job.themes, job.milestones, job.table, job.heading);
    case 'xlsx':
      return tableToXlsx(job.table, job.sheetName, job.title);
  }
}
