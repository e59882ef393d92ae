import {
  type Decision,
  type DecisionQuery,
  docOf,
  type ExportHeading,
  type ExportTable,
  type RegisterNames,
  readNotesTree,
  roadmapOf,
  roadmapTable,
} from '@nordraum/domain';
import type * as Y from 'yjs';
import { decisionsToPdf } from './decisions-pdf.ts';
import { CopyMissing, type DocCopies } from './doc-copies.ts';
import { exportNotes, type NotesFormat } from './notes-export.ts';
import { tableToOds } from './notes-odt.ts';
import { roadmapToPdf } from './roadmap-pdf.ts';
import { tableToXlsx } from './spreadsheet.ts';

/**
 * What the export render process renders: plain data only, so a job crosses to it over the IPC
 * channel (V8's serialization) and it needs no database and no sync server. A protocol or a roadmap
 * comes as its Yjs state (or, with `copy`, what changed since the process's copy) and is read in
 * the render process too: reading a 50-page protocol into blocks takes 5 to 10 ms, a roadmap of 200
 * milestones and its table a few, that the main thread does not spend. A roadmap's owners are
 * named from `users` (user id, name).
 */
export type RenderJob =
  | { type: 'notes'; format: NotesFormat; state: Uint8Array; heading: ExportHeading; copy?: CopyOf }
  | { type: 'roadmap-pdf'; state: Uint8Array; users: [string, string][]; heading: ExportHeading; copy?: CopyOf }
  | { type: 'xlsx' | 'ods'; table: ExportTable; sheetName: string; title: string }
  | {
      type: 'decisions-pdf';
      decisions: Decision[];
      names: RegisterNames;
      options: { roomName: string; query: DecisionQuery; now: Date };
    };

/**
 * A live document whose copy the render process keeps (doc-copies.ts): the job's `state` makes the
 * copy of generation `base` (null: none, `state` is the whole state) into the copy of `generation`.
 */
export interface CopyOf {
  documentId: string;
  base: number | null;
  generation: number;
}

/** Renders `job` into the file's bytes, in whichever thread calls it. A job with `copy` needs the render process's `copies`. */
export async function renderJob(job: RenderJob, copies?: DocCopies): Promise<Uint8Array> {
  switch (job.type) {
    case 'notes':
      return exportNotes(job.format, read(job, copies, readNotesTree), job.heading);
    case 'roadmap-pdf': {
      const { themes, milestones } = read(job, copies, (doc) => {
        const roadmap = roadmapOf(doc);
        return { themes: roadmap.themes(), milestones: roadmap.milestones() };
      });
      const table = roadmapTable(themes, milestones, new Map(job.users));
      return roadmapToPdf(themes, milestones, table, job.heading);
    }
    case 'xlsx':
      return tableToXlsx(job.table, job.sheetName, job.title);
    case 'ods':
      return tableToOds(job.table, job.sheetName, job.title);
    case 'decisions-pdf':
      return (await decisionsToPdf(job.decisions, job.names, job.options)).body;
  }
}

/** Reads a job's document with `reader`: the render process's copy brought up to date, or a document made for the read. */
function read<T>(
  job: { state: Uint8Array; copy?: CopyOf },
  copies: DocCopies | undefined,
  reader: (doc: Y.Doc) => T,
): T {
  if (!job.copy) {
    const doc = docOf(job.state);
    try {
      return reader(doc);
    } finally {
      doc.destroy();
    }
  }
  if (!copies) throw new Error('a job on a kept copy needs the copies');
  const doc = copies.update(job.copy.documentId, job.copy.base, job.copy.generation, job.state);
  if (!doc) throw new CopyMissing();
  return reader(doc);
}
