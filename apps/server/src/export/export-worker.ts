import { parentPort } from 'node:worker_threads';
import { type RenderJob, renderJob } from './render-job.ts';

/**
 * The export worker thread: renders one job at a time from plain data and answers with the
 * file's bytes (transferred, not copied) or the error's message. Protocol, both directions one
 * message per job: `{ id, job }` in, `{ id, bytes }` or `{ id, error }` out.
 */

if (!parentPort) throw new Error('export-worker.ts runs as a worker thread only');
const port = parentPort;

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
