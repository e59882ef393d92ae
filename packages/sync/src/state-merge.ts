import { Worker } from 'node:worker_threads';
import type { DocumentKind } from '@nordraum/domain';
import * as Y from 'yjs';
import type { WorkerAnswer, WorkerRequest } from './state-merge-worker.ts';
import { type AppliedPriority, backgroundPriority, type ThreadPriority } from './thread-priority.ts';
import type { StoredDocument } from './yjs-state.ts';

/**
 * A document's stored state as one update, merged off the main thread: what a version keeps;
 * and the edits of a restore, worked out there too.
 *
 * Encoding a loaded 50-page protocol takes the main thread one to several milliseconds (more on a
 * loaded machine), and under typing the kept encoding is always stale, so every version named cost
 * every editor of every room that much on top of its own work. Merging the stored snapshot and log
 * entries (read in one statement, so they are the state at one log position) in a worker thread
 * leaves the main thread one database read and a copy of the bytes.
 *
 * The worker is started on first use and ended after `idleMs` without work (its heap is memory
 * the process would otherwise keep); it never keeps the process alive.
 */

/** How long the worker stays without work before it ends (30 seconds). */
const idleMs = 30_000;

/** Where the worker's code is: next to this file in the sources, next to main.mjs in the bundle. */
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL('./state-merge-worker.ts', import.meta.url)
  : new URL('./state-merge-worker.mjs', import.meta.url);

const emptyState = Y.encodeStateAsUpdate(new Y.Doc());

/** A worker's answer that is not a failure. */
type Answered = Extract<WorkerAnswer, { bytes: unknown }>;

/**
 * Creates the merger; `merge` answers the stored parts as one state, `close` ends the worker. The
 * worker runs at `priority` (default nice 10): versions wait, live editing does not.
 */
export function createStateMerger(priority: ThreadPriority = backgroundPriority) {
  let worker: Worker | undefined;
  /** The scheduling the current worker reported it got. */
  let applied: AppliedPriority | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve(answer: Answered): void; reject(error: Error): void }>();

  function failAll(error: Error) {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  }

  function start(): Worker {
    const started = new Worker(workerUrl, { workerData: { priority } });
    applied = null;
    started.unref();
    started.on('message', (answer: WorkerAnswer | { priority: AppliedPriority }) => {
      if ('priority' in answer) {
        if (worker === started) applied = answer.priority;
        return;
      }
      const request = waiting.get(answer.id);
      if (!request) return;
      waiting.delete(answer.id);
      if ('bytes' in answer) request.resolve(answer);
      else request.reject(new Error(`the state worker failed: ${answer.error}`));
      if (waiting.size === 0) idleLater();
    });
    // Only the current worker's end fails what waits: one ended for idling had nothing left.
    const forget = (error: Error) => {
      if (worker !== started) return;
      worker = undefined;
      failAll(error);
    };
    started.on('error', forget);
    started.on('exit', (code) => forget(new Error(`the state worker ended (${code})`)));
    return started;
  }

  function idleLater() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (waiting.size > 0 || !worker) return;
      const ending = worker;
      worker = undefined;
      void ending.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  /** Sends a request to the worker (started if needed); resolves with its answer. */
  function ask(request: WorkerRequest): Promise<Answered> {
    clearTimeout(idleTimer);
    worker ??= start();
    const running = worker;
    return new Promise((resolve, reject) => {
      waiting.set(request.id, { resolve, reject });
      // Copied, not transferred: small buffers from pg share one pooled ArrayBuffer.
      running.postMessage(request);
    });
  }

  /** A state compressed as versions store it (one zstd frame). */
  async function pack(state: Uint8Array): Promise<Uint8Array> {
    return (await ask({ id: nextId++, type: 'pack', state })).bytes!;
  }

  return {
    /** The state of `stored` (snapshot, then its log entries) as one update. */
    merge(stored: Pick<StoredDocument, 'snapshot' | 'updates'>): Promise<Uint8Array> {
      const { snapshot, updates } = stored;
      // Nothing to merge: a compacted document is its snapshot, a single entry is itself.
      if (updates.length === 0) return Promise.resolve(snapshot ?? emptyState);
      if (!snapshot && updates.length === 1) return Promise.resolve(updates[0]!.update);
      const request = { id: nextId++, type: 'merge' as const, snapshot, updates: updates.map(({ update }) => update) };
      return ask(request).then(({ bytes }) => bytes!);
    },
    /**
     * {@link merge}, and the state compressed as versions store it (one zstd frame): the
     * compression is done in the worker too, for PostgreSQL's own (pglz) ran in the database
     * server on the editors' cores, with the state's bytes passed whole through the main thread.
     */
    async mergePacked(stored: Pick<StoredDocument, 'snapshot' | 'updates'>): Promise<PackedState> {
      const { snapshot, updates } = stored;
      const whole =
        updates.length === 0
          ? (snapshot ?? emptyState)
          : !snapshot && updates.length === 1
            ? updates[0]!.update
            : undefined;
      if (whole) return { state: whole, packed: await pack(whole) };
      const request = {
        id: nextId++,
        type: 'merge' as const,
        snapshot,
        updates: updates.map(({ update }) => update),
        pack: true,
      };
      const { bytes, packed } = await ask(request);
      return { state: bytes!, packed: packed! };
    },
    pack,
    /** The scheduling the running worker got (null before it reported, or with no worker), for tests. */
    priority: () => (worker ? applied : null),
    /** The update that makes a document of `kind` in state `live` equal to `target`; null when they agree. */
    async restore(kind: DocumentKind, live: Uint8Array, target: Uint8Array): Promise<Uint8Array | null> {
      return (await ask({ id: nextId++, type: 'restore', kind, live, target })).bytes;
    },
    /** Ends the worker; requests still waiting fail. */
    async close() {
      clearTimeout(idleTimer);
      const ending = worker;
      worker = undefined;
      failAll(new Error('the state merger is closed'));
      await ending?.terminate();
    },
  };
}

/** A state and the same compressed as versions store it. */
export interface PackedState {
  state: Uint8Array;
  packed: Uint8Array;
}

/** The merger of stored states. */
export type StateMerger = ReturnType<typeof createStateMerger>;
