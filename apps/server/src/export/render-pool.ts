import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError } from '@nordraum/domain';
import { type AppliedProcessPriority, backgroundPriority, type ThreadPriority } from '@nordraum/sync/thread-priority';
import type * as Y from 'yjs';
import type { UploadForm, UploadFormJob } from '../import/upload-form.ts';
import { createCopyTrails, defaultCopyTrailLimits } from './copy-trails.ts';
import { CopyMissing, type DocCopyLimits, defaultDocCopyLimits } from './doc-copies.ts';
import { changeMark, createRenderCache, type RenderCacheKey } from './render-cache.ts';
import type { CopyOf, RenderJob } from './render-job.ts';

/**
 * Renders exports in a child process (render-process.ts), so a 50-page PDF (about a second of
 * work) never holds the event loop that serves live editing; uploads (their multipart body, and
 * the file read into a notes document or a spreadsheet's rows) are read there too. A process
 * rather than a worker thread, for two reasons measured with a worker: the server's V8 flags for
 * its resident memory (`--optimize-for-size --max-semi-space-size=4`, see package.json) apply to
 * a worker's heap too and made exports 2 to 3 times slower (PDF 455 against 213 ms); and a
 * worker's garbage is collected on V8's platform threads, which the main thread shares, so
 * lowering them for exports slowed the main thread's own collections. The render process has
 * V8's defaults, its own platform threads, and every thread at the export priority.
 *
 * Jobs wait in a bounded queue and run one after the other per process; a full queue answers 429
 * at once rather than piling up memory. The process starts on the first job and ends after
 * `idleMs` without one (its fonts, compiled code and copies of the live documents it exported
 * stay warm until then); it never keeps the server alive while idle, and ends with the server
 * (its IPC channel closes, however the server ends). A process that dies or overruns its job's
 * time fails its job; the next job starts a new one (without copies: the next export of a
 * document sends its whole state again).
 */

/** How the pool is sized; see {@link defaultRenderPoolOptions}. */
export interface RenderPoolOptions {
  /** Render processes; default 1 (the machines Nordraum runs on have two or four cores); 0 renders in the calling thread. */
  size: number;
  /** Jobs that may wait for a process; default 16, more are refused with 429. */
  maxQueue: number;
  /** A job that takes longer (its process's start included) is abandoned and its process killed; default 60 s. */
  timeoutMs: number;
  /**
   * A render process without a job for this long ends (the next job starts another, which costs
   * about 1.5 s on the machines measured); default 5 minutes, so the exports of one meeting share a
   * process and its memory returns once they are done.
   */
  idleMs: number;
  /**
   * V8's old-space limit of a render process in MiB; default 1024 (a process that made and
   * imported a 20 MB DOCX, the upload limit, peaked at 408 MiB resident). A job beyond it ends
   * its process, not the server.
   */
  heapMiB: number;
  /**
   * Scheduling of every thread of the render processes on Linux (thread-priority.ts): default
   * nice 10, so live editing and the database come first; SCHED_IDLE on request.
   */
  priority: ThreadPriority;
  /** Bytes of rendered files kept for repeated exports of an unchanged document (render-cache.ts); default 32 MiB, 0 keeps none. */
  cacheBytes: number;
  /** Copies of live documents each process keeps, so an export after an edit is sent only the edit (doc-copies.ts). */
  copies: DocCopyLimits;
  /** Told once which scheduling the first process got (pino's shape). */
  log?: { debug(object: object, message: string): void };
}

export const defaultRenderPoolOptions: RenderPoolOptions = {
  size: 1,
  maxQueue: 16,
  timeoutMs: 60_000,
  idleMs: 5 * 60_000,
  heapMiB: 1024,
  priority: backgroundPriority,
  cacheBytes: 32 * 1024 * 1024,
  copies: defaultDocCopyLimits,
};

/** What a render process is given: an export to render, or an upload to read (and its file to import). */
export type RenderProcessJob = RenderJob | UploadFormJob;

/**
 * A message to a render process: one job. An upload's body is not in it but in a file the process
 * reads (http/request-body.ts): V8's serialization of the IPC channel copies bytes one call at a
 * time, and held the event loop for about 20 ms per 5 MB body.
 */
export type RenderProcessMessage = { id: number; job: RenderProcessJob };

/** A render process's first message: the scheduling its threads got. */
export type RenderProcessStarted = { priority: AppliedProcessPriority };

/** A render process's answer to a job (see render-process.ts). */
interface Answer {
  id: number;
  result?: unknown;
  error?: string;
  /** The job built on a copy the process does not keep. */
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
  /** The job for `state`: the whole state, or (with `copy`) what changed since the process's copy. */
  job: (state: Uint8Array, copy?: CopyOf) => RenderJob;
}

interface Pending {
  id: number;
  job: RenderProcessJob;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  child: ChildProcess;
  /** The job given to this process; sent once the process reported its start. */
  running: (Pending & { timer: NodeJS.Timeout }) | null;
  /** The scheduling the process reported it got; null until it has (no job is sent before). */
  priority: AppliedProcessPriority | null;
  /** Ends the process after `idleMs` without a job. */
  idle: NodeJS.Timeout | null;
  /** The process ended (or could not start). */
  dead: boolean;
}

/** The render process's file: the TypeScript source when running from source, the bundle's sibling when built. */
const processPath = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './render-process.ts' : './render-process.mjs', import.meta.url),
);

/**
 * The server's Node options without those sized for its resident memory (they slowed exports 2 to
 * 3 times), without a debugger port it holds already, without a script given on the command line
 * (`-e`: the render process would run it too) or a test or watch mode, and with the render
 * process's heap limit. What else there is (`--conditions`, `--import`, warnings) stays.
 */
export function renderProcessArgv(parent: readonly string[], heapMiB: number): string[] {
  const dropped =
    /^(--(optimize-for-size|max-semi-space-size|max-old-space-size|inspect(-brk|-port|-wait)?|eval|print|input-type|watch(-path|-preserve-output)?|test[a-z-]*)|-e|-p|-pe)(=|$)/;
  /** Those of them that take a value, which may come as the next argument. */
  const valued =
    /^(--(max-semi-space-size|max-old-space-size|inspect-port|eval|print|input-type|watch-path)|-e|-p|-pe)$/;
  const kept: string[] = [];
  for (let index = 0; index < parent.length; index++) {
    const argument = parent[index]!;
    if (!dropped.test(argument)) kept.push(argument);
    else if (valued.test(argument)) index++; // `--max-semi-space-size 4`, `-e <script>`
  }
  return [...kept, `--max-old-space-size=${heapMiB}`];
}

/**
 * The environment of a render process: what Node, the locale and `chrt` need, and nothing of the
 * server's configuration (no database address, no mail or sign-in secrets).
 */
export function renderProcessEnv(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const passed = /^(PATH|TZ|LANG|LANGUAGE|LC_[A-Z]+|TMPDIR|NODE_ENV|NODE_V8_COVERAGE|NODE_EXTRA_CA_CERTS)$/;
  const env = Object.fromEntries(Object.entries(parent).filter(([name]) => passed.test(name)));
  // NODE_OPTIONS as the command line: the size flags go, the rest (e.g. --conditions) stays.
  const options = renderProcessArgv(parent.NODE_OPTIONS?.split(/\s+/).filter(Boolean) ?? [], 0).slice(0, -1);
  if (options.length > 0) env.NODE_OPTIONS = options.join(' ');
  return env;
}

/**
 * The render process ended while it had a job: it ran out of its heap (`heapMiB`), was killed
 * after `timeoutMs`, or crashed. For an upload this means the file was too much to read.
 */
export class RenderProcessEnded extends Error {
  constructor(how: string) {
    super(`export render process exited with ${how}`);
    this.name = 'RenderProcessEnded';
  }
}

/** A pool of render processes. */
export function createRenderPool(options: Partial<RenderPoolOptions> = {}) {
  const { size, maxQueue, timeoutMs, idleMs, heapMiB, priority, cacheBytes, copies, log } = {
    ...defaultRenderPoolOptions,
    ...options,
  };
  const cache = createRenderCache(cacheBytes);
  /**
   * Per live document exported lately, the edits since its copy in the processes was last sent
   * anything: the next export sends only those. A process that does not keep that copy (evicted,
   * or another process of the pool) says so and gets the whole state.
   */
  const trails = createCopyTrails({ ...defaultCopyTrailLimits, documents: copies.documents });
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  const queue: Pending[] = [];
  let nextId = 1;
  let logged = false;
  let closed = false;

  function start(index: number): Slot {
    const child = fork(processPath, [JSON.stringify({ priority, copies })], {
      execArgv: renderProcessArgv(process.execArgv, heapMiB),
      env: renderProcessEnv(process.env),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { child, running: null, priority: null, idle: null, dead: false };
    child.on('message', (answer: Answer | RenderProcessStarted) => {
      if ('priority' in answer) {
        slot.priority = answer.priority;
        if (!logged) log?.debug({ ...answer.priority, asked: priority }, 'export render process scheduling');
        logged = true;
        send(slot);
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
      if (slot.dead) return; // reported already (an error, then the exit)
      slot.dead = true;
      if (slots[index] === slot) slots[index] = null;
      if (slot.idle) clearTimeout(slot.idle);
      slot.child.kill('SIGKILL'); // after an error it may still run
      // Its copies went with it: the next export of each document sends its whole state at once.
      trails.clear();
      const job = slot.running;
      if (job) {
        clearTimeout(job.timer);
        slot.running = null;
        job.reject(error);
      }
      pump();
    };
    child.on('error', died);
    child.on('exit', (code, signal) => died(new RenderProcessEnded(signal ?? `code ${code}`)));
    slots[index] = slot;
    return slot;
  }

  /** Sends the slot's job once its process has started. */
  function send(slot: Slot) {
    const job = slot.running;
    if (!job || !slot.priority) return;
    slot.child.send({ id: job.id, job: job.job } satisfies RenderProcessMessage);
  }

  function finish(slot: Slot) {
    clearTimeout(slot.running!.timer);
    slot.running = null;
    // An idle process must not keep the server (or a test run) alive, nor stay for ever.
    slot.child.unref();
    slot.child.channel?.unref();
    slot.idle = setTimeout(() => retire(slot), idleMs);
    slot.idle.unref();
  }

  /** Lets an idle process go: it ends when its channel closes; the next job starts another. */
  function retire(slot: Slot) {
    const index = slots.indexOf(slot);
    if (index >= 0) slots[index] = null;
    if (slot.child.connected) slot.child.disconnect();
  }

  function pump() {
    if (closed) return;
    for (let index = 0; index < slots.length && queue.length > 0; index++) {
      const slot = slots[index] ?? start(index);
      if (slot.running) continue;
      const job = queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      const timer = setTimeout(() => slot.child.kill('SIGKILL'), timeoutMs);
      slot.running = { ...job, timer };
      slot.child.ref();
      slot.child.channel?.ref();
      send(slot);
    }
  }

  function run(job: RenderProcessJob): Promise<Answer> {
    if (queue.length >= maxQueue) {
      throw new AppError('rate_limited', 'Too many exports at once; please try again in a moment.', {
        retryAfterSeconds: 5,
      });
    }
    return new Promise((resolve, reject) => {
      queue.push({ id: nextId++, job, resolve, reject });
      pump();
    });
  }

  const result = <T>(answer: Promise<Answer>) => answer.then(({ result }) => result as T);

  /**
   * Renders `job` in a render process; 429 when `maxQueue` jobs already wait. With `reuse`, a file
   * rendered for the same key from the same state is answered at once, and the new one is kept.
   */
  function render(job: RenderJob, reuse?: RenderCacheKey): Promise<Uint8Array> {
    const cached = reuse && cache.get(reuse);
    if (cached) return Promise.resolve(cached);
    // The writers are loaded only here (in process) or in the render process, not with the server.
    const rendering =
      size === 0 ? import('./render-job.ts').then(({ renderJob }) => renderJob(job)) : result<Uint8Array>(run(job));
    if (!reuse) return rendering;
    return rendering.then((bytes) => {
      cache.set(reuse, bytes);
      return bytes;
    });
  }

  /** Renders an export of a live document on the render process's copy of it (see {@link LiveExport}). */
  async function renderOnCopy(input: LiveExport, reuse: RenderCacheKey, whole: boolean): Promise<Uint8Array> {
    const { documentId, doc } = input;
    // Only the edits the copy lacks, taken from the loaded document's trail now (before any await).
    const step = whole || !doc ? null : trails.take(documentId, doc);
    let state: Uint8Array;
    let copy: CopyOf;
    if (step) {
      state = step.update;
      copy = { documentId, base: step.base, generation: step.generation };
    } else {
      // The trail starts before the state is read: an edit in between is in both, which is harmless.
      copy = { documentId, base: null, generation: trails.restart(documentId, doc) };
      state = await input.wholeState();
    }
    try {
      const bytes = await result<Uint8Array>(run(input.job(state, copy)));
      cache.set(reuse, bytes);
      return bytes;
    } catch (error) {
      if (!(error instanceof CopyMissing)) throw error;
      return renderOnCopy(input, reuse, true);
    }
  }

  return {
    render,
    /**
     * Renders an export of the live document: from the file rendered last when the document did
     * not change since, else in the render process on its copy of the document, sent only what changed
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
     * Reads an upload's multipart body and its file (upload-form.ts) in a render process; the
     * file does not come back. 429 as {@link render}.
     */
    readForm(job: UploadFormJob): Promise<UploadForm> {
      if (size === 0) return import('../import/upload-form.ts').then(({ readUploadForm }) => readUploadForm(job));
      return result<UploadForm>(run(job));
    },
    /** The scheduling each started process reported (its threads' policy and nice value), for tests and metrics. */
    priorities: () => slots.flatMap((slot) => (slot?.priority ? [slot.priority] : [])),
    /** The process ids of the render processes now running, for tests and metrics. */
    processIds: () => slots.flatMap((slot) => (slot?.child.pid === undefined ? [] : [slot.child.pid])),
    /** Jobs waiting for a process, for tests and metrics. */
    waiting: () => queue.length,
    /** Ends every render process; running and waiting jobs fail. */
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the export render pool was closed'));
      const running = slots.filter((slot) => slot !== null);
      await Promise.all(
        running.map((slot) => {
          const exited = new Promise((resolve) => slot.child.once('exit', resolve));
          slot.child.ref(); // an idle process is unreferenced: its exit must still be waited for
          slot.child.kill('SIGKILL');
          return slot.child.exitCode === null && slot.child.signalCode === null ? exited : undefined;
        }),
      );
    },
  };
}

/** A pool of render processes. */
export type RenderPool = ReturnType<typeof createRenderPool>;

let shared: RenderPool | undefined;

/** The process's pool with the default options, created on first use. */
export function sharedRenderPool(): RenderPool {
  shared ??= createRenderPool();
  return shared;
}
