import { Worker } from 'node:worker_threads';
import { AppError } from '@nordraum/domain';
import type { NotesFileJob, NotesFileResult } from '../import/notes-file.ts';
import type { UploadForm, UploadFormJob } from '../import/upload-form.ts';
import { createRenderCache, type RenderCacheKey } from './render-cache.ts';
import type { RenderJob } from './render-job.ts';

/**
 * Renders exports in a worker thread, so a 50-page PDF (about a second of work) never holds the
 * event loop that serves live editing; notes imports (reading a DOCX or ODT) run there too. Jobs wait in a bounded queue and run one after the other
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
  /** Bytes of rendered files kept for repeated exports of an unchanged document (render-cache.ts); default 32 MiB, 0 keeps none. */
  cacheBytes: number;
}

export const defaultRenderPoolOptions: RenderPoolOptions = {
  size: 1,
  maxQueue: 16,
  timeoutMs: 60_000,
  niceness: 10,
  cacheBytes: 32 * 1024 * 1024,
};

/** What a worker is given: an export to render, an upload to read or a file to import. */
export type WorkerJob = RenderJob | UploadFormJob | NotesFileJob;

interface Pending {
  id: number;
  job: WorkerJob;
  /** Buffers moved to the worker rather than copied (the caller no longer reads them). */
  transfer: ArrayBuffer[];
  resolve: (result: unknown) => void;
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

/** The buffer of `bytes` to move to a worker, when the bytes are all of it (else they are copied). */
function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

/** A pool of export workers. */
export function createRenderPool(options: Partial<RenderPoolOptions> = {}) {
  const { size, maxQueue, timeoutMs, niceness, cacheBytes } = { ...defaultRenderPoolOptions, ...options };
  const cache = createRenderCache(cacheBytes);
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  const queue: Pending[] = [];
  let nextId = 1;

  function start(index: number): Slot {
    const worker = new Worker(workerUrl, { workerData: { niceness } });
    const slot: Slot = { worker, running: null };
    worker.unref();
    worker.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
      const job = slot.running;
      if (job?.id !== answer.id) return;
      finish(slot);
      if (answer.error === undefined) job.resolve(answer.result);
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
      slot.worker.postMessage({ id: job.id, job: job.job }, job.transfer);
    }
  }

  function run(job: WorkerJob, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (queue.length >= maxQueue) {
      throw new AppError('rate_limited', 'Too many exports at once; please try again in a moment.', {
        retryAfterSeconds: 5,
      });
    }
    return new Promise((resolve, reject) => {
      queue.push({ id: nextId++, job, transfer, resolve, reject });
      pump();
    });
  }

  return {
    /**
     * Renders `job` in a worker; 429 when `maxQueue` jobs already wait. With `reuse`, a file
     * rendered for the same key from the same state is answered at once, and the new one is kept.
     */
    render(job: RenderJob, reuse?: RenderCacheKey): Promise<Uint8Array> {
      const cached = reuse && cache.get(reuse);
      if (cached) return Promise.resolve(cached);
      // The writers are loaded only here (in process) or in the worker, not with the server.
      const rendering =
        size === 0
          ? import('./render-job.ts').then(({ renderJob }) => renderJob(job))
          : (run(job) as Promise<Uint8Array>);
      if (!reuse) return rendering;
      return rendering.then((bytes) => {
        cache.set(reuse, bytes);
        return bytes;
      });
    },
    /** Reads an upload's multipart body in a worker (its bytes move there, the file's come back); 429 as {@link render}. */
    readForm(job: UploadFormJob): Promise<UploadForm> {
      if (size === 0) return import('../import/upload-form.ts').then(({ readUploadForm }) => readUploadForm(job));
      return run(job, transferable(job.body)) as Promise<UploadForm>;
    },
    /** Reads a file into a new notes document's content in a worker (its bytes move there); 429 as {@link render}. */
    importNotes(job: NotesFileJob): Promise<NotesFileResult> {
      if (size === 0) return import('../import/notes-file.ts').then(({ importNotesFile }) => importNotesFile(job));
      return run(job, transferable(job.bytes)) as Promise<NotesFileResult>;
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
