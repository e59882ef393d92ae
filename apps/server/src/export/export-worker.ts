import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type RenderJob, renderJob } from './render-job.ts';

/**
 * The export worker thread: renders one job at a time from plain data and answers with the
 * file's bytes (transferred, not copied) or the error's message. Protocol, both directions one
 * message per job: `{ id, job }` in, `{ id, bytes }` or `{ id, error }` out.
 */

if (!parentPort) throw new Error('export-worker.ts runs as a worker thread only');
const port = parentPort;

/** Nice value of this thread (render-pool.ts `niceness`): at 10 the main thread gets about nine times its share of a busy core. */
const exportNiceness: number = (workerData as { niceness?: number } | undefined)?.niceness ?? 10;

/**
 * On Linux each thread has its own nice value, and this thread's id is the last part of
 * /proc/thread-self. Where that does not exist (another system) the worker keeps the process's
 * priority: it still runs beside the main thread, only without yielding to it on a busy machine.
 */
function yieldToLiveEditing(): void {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return; // not Linux
  }
  if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, exportNiceness);
}
yieldToLiveEditing();

port.on('message', async ({ id, job }: { id: number; job: RenderJob }) => {
  try {
    const rendered = await renderJob(job);
    // A small Buffer may be a view on Node's shared pool, which cannot be transferred: copy it.
    const bytes =
      rendered.byteOffset === 0 && rendered.byteLength === rendered.buffer.byteLength ? rendered : rendered.slice();
    port.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
