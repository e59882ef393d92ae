import { Worker } from 'node:worker_threads';
import { AppError } from '@nordraum/domain';
import {
  type AppliedPriority,
  backgroundPriority,
  type LoweredPlatformThreads,
  type ThreadPriority,
} from '@nordraum/sync/thread-priority';
import * as Y from 'yjs';
import type { UploadForm, UploadFormJob } from '../import/upload-form.ts';
import { CopyMissing, type DocCopyLimits, defaultDocCopyLimits, holdsStateVector } from './doc-copies.ts';
import { changeMark, createRenderCache, type RenderCacheKey } from './render-cache.ts';
import type { CopyOf, RenderJob } from './render-job.ts';

/**
 * Renders exports in a worker thread, so a 50-page PDF (about a second of work) never holds the
 * event loop that serves live editing; uploads (their multipart body, and the file read into a
 * notes document or a spreadsheet's rows) are read there too. Jobs wait in a bounded queue and
 * run one after the other per worker; a full queue answers 429 at once rather than piling up
 * memory. The worker starts on the first export and is kept (its fonts, compiled code and copies
 * of the live documents it exported stay warm); it does not keep the process alive while idle.
 * A worker that dies fails its job and is replaced by the next one (without copies: the next
 * export of a document sends its whole state again).
 */

/** How the pool is sized; see {@link defaultRenderPoolOptions}. */
export interface RenderPoolOptions {
  /** Worker threads; default 1 (the machines Nordraum runs on have two or four cores); 0 renders in the calling thread. */
  size: number;
  /** Jobs that may wait for a worker; default 16, more are refused with 429. */
  maxQueue: number;
  /** A job that takes longer is abandoned and its worker restarted; default 60 s. */
  timeoutMs: number;
  /**
   * Scheduling of the worker threads on Linux (thread-priority.ts): default nice 10, so live
   * editing and the database come first; SCHED_IDLE on request.
   */
  priority: ThreadPriority;
  /** Bytes of rendered files kept for repeated exports of an unchanged document (render-cache.ts); default 32 MiB, 0 keeps none. */
  cacheBytes: number;
  /** Copies of live documents each worker keeps, so an export after an edit is sent only the edit (doc-copies.ts). */
  copies: DocCopyLimits;
  /** Told once which scheduling the first worker got (pino's shape). */
  log?: { debug(object: object, message: string): void };
}

export const defaultRenderPoolOptions: RenderPoolOptions = {
  size: 1,
  maxQueue: 16,
  timeoutMs: 60_000,
  priority: backgroundPriority,
  cacheBytes: 32 * 1024 * 1024,
  copies: defaultDocCopyLimits,
};

/** What a worker is given: an export to render, or an upload to read (and its file to import). */
export type WorkerJob = RenderJob | UploadFormJob;

/** A message to a worker: one job. */
export type WorkerMessage = { id: number; job: WorkerJob };

/** A worker's first message: the scheduling it got, and V8's platform threads' (null: not Linux). */
export type WorkerStarted = { priority: AppliedPriority; platform: LoweredPlatformThreads | null };

/** A worker's answer to a job (see export-worker.ts). */
interface Answer {
  id: number;
  result?: unknown;
  error?: string;
  /** The state vector of the worker's copy after a job on a kept copy. */
  stateVector?: Uint8Array;
  /** The job built on a copy the worker does not keep. */
  missing?: true;
}

/** An export of a live document (a protocol or a roadmap), for {@link RenderPool.renderLive}. */
export interface LiveExport {
  documentId: string;
  /** The loaded document, read at once (before the first await); null when it is not loaded. */
  doc: Y.Doc | null;
  /** The document's whole state (a loaded document keeps it encoded until the next edit). */
  wholeState: () => Promise<Uint8Array>;
  /** Everything else the file shows (format, heading, names), for the render cache. */
  key: string;
  /** The job for `state`: the whole state, or (with `copy`) what changed since the worker's copy. */
  job: (state: Uint8Array, copy?: CopyOf) => RenderJob;
}

/** How many documents' copy state vectors the pool remembers (more than a worker keeps copies; a miss costs one resend). */
const rememberedCopies = 64;

interface Pending {
  id: number;
  job: WorkerJob;
  /** Buffers moved to the worker rather than copied (the caller no longer reads them). */
  transfer: ArrayBuffer[];
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  running: (Pending & { timer: NodeJS.Timeout }) | null;
  /** The scheduling the worker reported it got; null until it has. */
  priority: AppliedPriority | null;
}

/** The worker's file: the TypeScript source when running from source, the bundle's sibling when built. */
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './export-worker.ts' : './export-worker.mjs',
  import.meta.url,
);

/** The buffers of `chunks` to move to a worker, those the chunks are all of (the rest are copied). */
function transferable(chunks: Uint8Array[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const bytes of chunks) {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    if (whole && bytes.buffer instanceof ArrayBuffer) buffers.add(bytes.buffer);
  }
  return [...buffers];
}

/** A pool of export workers. */
export function createRenderPool(options: Partial<RenderPoolOptions> = {}) {
  const { size, maxQueue, timeoutMs, priority, cacheBytes, copies, log } = { ...defaultRenderPoolOptions, ...options };
  const cache = createRenderCache(cacheBytes);
  /**
   * Per live document, the state vector of the copy the workers were last left with: the next
   * export sends only what the document has beyond it. A worker that no longer keeps that copy
   * (evicted, restarted, or another worker of the pool) says so and gets the whole state.
   */
  const copyVectors = new Map<string, Uint8Array>();
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  const queue: Pending[] = [];
  let nextId = 1;
  let logged = false;

  function start(index: number): Slot {
    const worker = new Worker(workerUrl, { workerData: { priority, copies } });
    const slot: Slot = { worker, running: null, priority: null };
    worker.unref();
    worker.on('message', (answer: Answer | WorkerStarted) => {
      if ('priority' in answer) {
        slot.priority = answer.priority;
        if (!logged) {
          const platformThreads = answer.platform?.threadIds.length ?? 0;
          log?.debug({ ...answer.priority, asked: priority, platformThreads }, 'export worker scheduling');
        }
        logged = true;
        return;
      }
      const job = slot.running;
      if (job?.id !== answer.id) return;
      finish(slot);
      if (answer.missing) job.reject(new CopyMissing());
      else if (answer.error === undefined) job.resolve(answer);
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
      slot.worker.postMessage({ id: job.id, job: job.job } satisfies WorkerMessage, job.transfer);
    }
  }

  function run(job: WorkerJob, transfer: ArrayBuffer[] = []): Promise<Answer> {
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

  const result = <T>(answer: Promise<Answer>) => answer.then(({ result }) => result as T);

  function remember(documentId: string, stateVector: Uint8Array | undefined) {
    copyVectors.delete(documentId);
    if (!stateVector) return;
    copyVectors.set(documentId, stateVector);
    if (copyVectors.size > rememberedCopies) copyVectors.delete(copyVectors.keys().next().value!);
  }

  /**
   * Renders `job` in a worker; 429 when `maxQueue` jobs already wait. With `reuse`, a file
   * rendered for the same key from the same state is answered at once, and the new one is kept.
   */
  function render(job: RenderJob, reuse?: RenderCacheKey): Promise<Uint8Array> {
    const cached = reuse && cache.get(reuse);
    if (cached) return Promise.resolve(cached);
    // The writers are loaded only here (in process) or in the worker, not with the server.
    const rendering =
      size === 0 ? import('./render-job.ts').then(({ renderJob }) => renderJob(job)) : result<Uint8Array>(run(job));
    if (!reuse) return rendering;
    return rendering.then((bytes) => {
      cache.set(reuse, bytes);
      return bytes;
    });
  }

  /** Renders an export of a live document on the worker's copy of it (see {@link LiveExport}). */
  async function renderOnCopy(input: LiveExport, reuse: RenderCacheKey, whole: boolean): Promise<Uint8Array> {
    const { documentId, doc } = input;
    const base = whole || !doc ? undefined : copyVectors.get(documentId);
    // Only what the copy lacks, encoded from the loaded document now (before any await); a
    // document that lost content the copy holds (it cannot, barring a damaged store) resends all.
    const since = base && holdsStateVector(doc!, base) ? Y.encodeStateAsUpdate(doc!, base) : null;
    const state = since ?? (await input.wholeState());
    try {
      const answer = await run(input.job(state, { documentId, base: since ? base! : null }));
      remember(documentId, answer.stateVector);
      const bytes = answer.result as Uint8Array;
      cache.set(reuse, bytes);
      return bytes;
    } catch (error) {
      if (!(error instanceof CopyMissing)) throw error;
      copyVectors.delete(documentId);
      return renderOnCopy({ ...input, doc: null }, reuse, true);
    }
  }

  return {
    render,
    /**
     * Renders an export of the live document: from the file rendered last when the document did
     * not change since, else in a worker on its copy of the document, sent only what changed
     * since the last export (the whole state the first time). 429 as {@link render}.
     */
    async renderLive(input: LiveExport): Promise<Uint8Array> {
      // A loaded document is known unchanged by its change mark; another by its stored state.
      const mark = input.doc ? changeMark(input.doc) : null;
      const reuse: RenderCacheKey = { key: input.key, state: mark };
      if (mark) {
        const cached = cache.get(reuse);
        if (cached) return cached;
      }
      if (size === 0 || !mark) {
        const state = await input.wholeState();
        return render(input.job(state), { key: input.key, state });
      }
      return renderOnCopy(input, reuse, false);
    },
    /** The file kept for `reuse`, if any (a stored version's file, before its state is read). */
    cached: (reuse: RenderCacheKey) => cache.get(reuse),
    /**
     * Reads an upload's multipart body and its file (upload-form.ts) in a worker; the body's
     * chunks move there, the file does not come back. 429 as {@link render}.
     */
    readForm(job: UploadFormJob): Promise<UploadForm> {
      if (size === 0) return import('../import/upload-form.ts').then(({ readUploadForm }) => readUploadForm(job));
      return result<UploadForm>(run(job, transferable(job.body)));
    },
    /** The scheduling each started worker reported (thread id and policy), for tests and metrics. */
    priorities: () => slots.flatMap((slot) => (slot?.priority ? [slot.priority] : [])),
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
