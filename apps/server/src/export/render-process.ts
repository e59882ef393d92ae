import { lowerProcessPriority, type ThreadPriority } from '@nordraum/sync/thread-priority';
import { readUploadForm } from '../import/upload-form.ts';
import { CopyMissing, createDocCopies, type DocCopyLimits } from './doc-copies.ts';
import { renderJob } from './render-job.ts';
import type { RenderProcessMessage, RenderProcessStarted } from './render-pool.ts';

/**
 * The export render process (a child of the server, see render-pool.ts): renders one job at a
 * time from plain data and answers with the file's bytes, or reads an upload's form and its file
 * (into a notes document's first update, or a spreadsheet's rows), or answers the error's message.
 * Protocol over the IPC channel (advanced serialization: bytes pass as Uint8Array), one message
 * per job in each direction: `{ id, job }` in, `{ id, result }` or `{ id, error }` out; once, at
 * the start, `{ priority }` (the scheduling this process got), before which no job is sent. A job
 * on a kept copy of a live document (doc-copies.ts) answers `{ id, missing: true }` when the copy
 * it builds on is not kept.
 *
 * The process ends when its channel closes: the server exits (or is killed), or lets it go idle.
 */

if (!process.send) throw new Error('render-process.ts runs as a child process with an IPC channel only');
const send = process.send.bind(process);

const options = JSON.parse(process.argv[2] ?? '{}') as { priority?: ThreadPriority; copies?: DocCopyLimits };
const copies = createDocCopies(options.copies);

// Live editing and the database come first (render-pool.ts `priority`): every thread of this
// process, V8's platform threads (its garbage collection) included, runs at the export priority.
const priority = lowerProcessPriority(options.priority);

process.on('disconnect', () => process.exit(0));

// One job at a time: the pool sends the next after the answer.
process.on('message', async ({ id, job }: RenderProcessMessage) => {
  try {
    if (job.type === 'read-form') {
      send({ id, result: await readUploadForm(job) });
      return;
    }
    send({ id, result: await renderJob(job, copies) });
  } catch (error) {
    if (error instanceof CopyMissing) return send({ id, missing: true });
    send({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

send({ priority } satisfies RenderProcessStarted);
