import {
  type Decision,
  type DecisionQuery,
  docOf,
  type ExportHeading,
  type ExportTable,
  type Milestone,
  type NotesBlock,
  type RegisterNames,
  readNotesTree,
  type Theme,
} from '@nordraum/domain';
import { encodeStateVector } from 'yjs';
import { decisionsToPdf } from './decisions-pdf.ts';
import { CopyMissing, type DocCopies } from './doc-copies.ts';
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
  | { type: 'notes'; format: NotesFormat; state: Uint8Array; heading: ExportHeading; copy?: CopyOf }
  | { type: 'roadmap-pdf'; themes: Theme[]; milestones: Milestone[]; table: ExportTable; heading: ExportHeading }
  | { type: 'xlsx' | 'ods'; table: ExportTable; sheetName: string; title: string }
  | {
      type: 'decisions-pdf';
      decisions: Decision[];
      names: RegisterNames;
      options: { roomName: string; query: DecisionQuery; now: Date };
    };

/**
 * A live document whose copy the worker keeps (doc-copies.ts): the job's `state` is then what the
 * live document has beyond the state vector `base` (null: its whole state).
 */
export interface CopyOf {
  documentId: string;
  base: Uint8Array | null;
}

/**
 * Renders `job` into the file's bytes, in whichever thread calls it. A job with `copy` needs the
 * worker's `copies`; `copied` is told the copy's state vector after the update.
 */
export async function renderJob(
  job: RenderJob,
  copies?: DocCopies,
  copied?: (stateVector: Uint8Array) => void,
): Promise<Uint8Array> {
  switch (job.type) {
    case 'notes': {
      if (!job.copy) return exportNotes(job.format, notesOf(job.state), job.heading);
      if (!copies) throw new Error('a job on a kept copy needs the copies');
      const doc = copies.update(job.copy.documentId, job.copy.base, job.state);
      if (!doc) throw new CopyMissing();
      copied?.(encodeStateVector(doc));
      return exportNotes(job.format, readNotesTree(doc), job.heading);
    }
    case 'roadmap-pdf':
      return roadmapToPdf(job.themes, job.milestones, job.table, job.heading);
    case 'xlsx':
      return tableToXlsx(job.table, job.sheetName, job.title);
    case 'ods':
      return tableToOds(job.table, job.sheetName, job.title);
    case 'decisions-pdf':
      return (await decisionsToPdf(job.decisions, job.names, job.options)).body;
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
