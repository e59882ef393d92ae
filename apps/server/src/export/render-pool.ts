import { Worker } from 'node:worker_threads';
import { AppError } from '@nordraum/domain';
import type { RenderJob } from './render-job.ts';

/**
 * Renders exports in a worker thread, so a 50-page PDF (about a second of work) never holds the
 * event loop that serves live editing. Jobs wait in a bounded queue and run one after the other
 * per worker; a full queue answers 429 at once rather than piling up memory. The worker starts on
 * the first export and is kept (its fonts and compiled code stay warm); it does not keep the
 * process alive while idle. A worker that dies fails its job and is replaced by the next one.
 */

/** How the pool is sized; see {@link defaultRenderPoolOptions}. */
export interface RenderPoolOptions {
  /** Worker threads; default 1 (the machines Nordraum runs on have two or four cores); 0 renders in the calling thread. */
  size: number;
  /** Jobs that may wait for a worker; default 16, more are refused with 429. */
  maxQueue: number;
  /** A job that takes longer is abandoned and its worker restarted; default 60 s. */
  timeoutMs: number;
  /** Nice value of the worker threads on Linux (0 to 19); default 10, so live editing comes first. */
  niceness: number;
}

export const defaultRenderPoolOptions: RenderPoolOptions = { size: 1, maxQueue: 16, timeoutMs: 60_000, niceness: 10 };

interface Pending {
  id: number;
  job: RenderJob;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  running: (Pending & { timer: NodeJS.Timeout }) | null;
}

/** The worker's file: the TypeScript source when running from source, the bundle's sibling when built. */
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './export-worker.ts' : './export-worker.mjs',
  import.meta.url,
);

/** A pool of export workers. */
export function createRenderPool(options: Partial<RenderPoolOptions> = {}) {
  const { size, maxQueue, timeoutMs, niceness } = { ...defaultRenderPoolOptions, ...options };
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  const queue: Pending[] = [];
  let nextId = 1;

  function start(index: number): Slot {
    const worker = new Worker(workerUrl, { workerData: { niceness } });
    const slot: Slot = { worker, running: null };
    worker.unref();
    worker.on('message', (answer: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = slot.running;
      if (job?.id !== answer.id) return;
      finish(slot);
      if (answer.bytes) job.resolve(answer.bytes);
      else job.reject(new Error(`export failed: ${answer.error}`));
      pump();
    });
    const died = (error: Error) => {
      if (slots[index] === slot) slots[index] = null;
      const job = slot.running;
      if (job) {
        finish(slot);
        job.reject(error);
      }
      pump();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`export worker exited with code ${code}`)));
    slots[index] = slot;
    return slot;
  }

  function finish(slot: Slot) {
    clearTimeout(slot.running!.timer);
    slot.running = null;
    // An idle worker must not keep the process (or a test run) alive.
    slot.worker.unref();
  }

  function pump() {
    for (let index = 0; index < slots.length && queue.length > 0; index++) {
      const slot = slots[index] ?? start(index);
      if (slot.running) continue;
      const job = queue.shift()!;
      const timer = setTimeout(() => void slot.worker.terminate(), timeoutMs);
      slot.running = { ...job, timer };
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, job: job.job });
    }
  }

  return {
    /** Renders `job` in a worker; 429 when `maxQueue` jobs already wait. */
    render(job: RenderJob): Promise<Uint8Array> {
      // The writers are loaded only here or in the worker, not with the server.
      if (size === 0) return import('./render-job.ts').then(({ renderJob }) => renderJob(job));
      if (queue.length >= maxQueue) {
        throw new AppError('rate_limited', 'Too many exports at once; please try again in a moment.', {
          retryAfterSeconds: 5,
        });
      }
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, job, resolve, reject });
        pump();
      });
    },
    /** Jobs waiting for a worker, for tests and metrics. */
    waiting: () => queue.length,
    /** Stops every worker; running jobs fail. */
    async close() {
      const running = slots.filter((slot) => slot !== null);
      slots.fill(null);
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}

/** A pool of export workers. */
export type RenderPool = ReturnType<typeof createRenderPool>;

let shared: RenderPool | undefined;

/** The process's pool with the default options, created on first use. */
export function sharedRenderPool(): RenderPool {
  shared ??= createRenderPool();
  return shared;
}
