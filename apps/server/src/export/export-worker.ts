import { parentPort, workerData } from 'node:worker_threads';
import {
  backgroundPriority,
  lowerPlatformThreads,
  lowerThreadPriority,
  type ThreadPriority,
} from '@nordraum/sync/thread-priority';
import { readUploadForm } from '../import/upload-form.ts';
import { CopyMissing, createDocCopies, type DocCopyLimits } from './doc-copies.ts';
import { renderJob } from './render-job.ts';
import type { WorkerMessage, WorkerStarted } from './render-pool.ts';

/**
 * The export worker thread: renders one job at a time from plain data and answers with the
 * file's bytes (transferred, not copied), or reads an upload's form and its file (into a notes
 * document's first update, or a spreadsheet's rows), or answers the error's message. Protocol, both directions one message per job:
 * `{ id, job }` in, `{ id, result }` or `{ id, error }` out (and once, at the start, `{ priority }`:
 * the scheduling this thread got); a job on a kept copy of a live document
 * (doc-copies.ts) answers `{ id, result, stateVector }`, or `{ id, missing: true }` when the copy
 * it builds on is not kept.
 */

if (!parentPort) throw new Error('export-worker.ts runs as a worker thread only');
const port = parentPort;

const options = workerData as { priority?: ThreadPriority; copies?: DocCopyLimits } | undefined;
const copies = createDocCopies(options?.copies);

// Live editing and the database come first (render-pool.ts `priority`): the pool is told what applied.
// So do V8's platform threads, where most of this thread's garbage is collected (thread-priority.ts).
const priority = lowerThreadPriority(options?.priority);
const platform = lowerPlatformThreads((options?.priority ?? backgroundPriority).niceness);
port.postMessage({ priority, platform } satisfies WorkerStarted);

/** `bytes` in a buffer of their own, which can be transferred: a small Buffer may be a view on Node's shared pool. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
}

port.on('message', async ({ id, job }: WorkerMessage) => {
  try {
    if (job.type === 'read-form') {
      const form = await readUploadForm(job);
      if (!form.readable || form.content.type !== 'notes' || !form.content.notes.readable)
        return port.postMessage({ id, result: form });
      // A new notes document's first update moves to the main thread, which stores it.
      const notes = { ...form.content.notes, update: owned(form.content.notes.update) };
      port.postMessage({ id, result: { ...form, content: { type: 'notes', notes } } }, [notes.update.buffer]);
      return;
    }
    let stateVector: Uint8Array | undefined;
    const bytes = owned(await renderJob(job, copies, (vector) => (stateVector = vector)));
    port.postMessage({ id, result: bytes, stateVector }, [bytes.buffer]);
  } catch (error) {
    if (error instanceof CopyMissing) return port.postMessage({ id, missing: true });
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
