/**
 * One load phase against one server: N documents, each with some full Yjs writers and (in
 * listeners mode) raw listener sockets; every writer types R edits per second for T seconds.
 * Collects latency, delivery, convergence, first-sync times and the server's CPU and memory.
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import type { SyncClient } from './clients.ts';
import { countUpdates, newTally, observeEdits, startWriter, type Tally } from './edits.ts';
import type { Listener } from './listeners.ts';
import {
  machineJiffies,
  peakRssMiB,
  resetPeakRss,
  rssMiB,
  serverCpuSeconds as serverTreeCpuSeconds,
  treeCpuSeconds,
  wakeups,
} from './proc-stats.ts';
import type { Target } from './target.ts';

/** The shape of a load phase. In full mode writersPerDoc equals socketsPerDoc. */
export interface LoadPlan {
  docs: number;
  socketsPerDoc: number;
  writersPerDoc: number;
  rate: number;
  seconds: number;
  /** Runs on the fresh documents before anyone connects (e.g. gives them content). */
  prepare?: (target: Target, names: string[]) => Promise<void>;
  /** Changes a writer's document in the same transaction as each edit (e.g. types into its text). */
  alongside?: (doc: Y.Doc) => void;
  /** Whether to wait for unload and memory release after the clients left (default true). */
  settle?: boolean;
  /**
   * Writers as listener sockets that type from a document of their own edits (default false):
   * they count others' edits as listeners do instead of applying them to a Y.Doc, which costs the
   * load generator many times more per delivery. The server's work is a client's (its updates are
   * concurrent inserts at the end); documents are not checked for convergence.
   */
  rawWriters?: boolean;
  /** Whether the tally keeps when each delivered edit was sent (default false). */
  timeline?: boolean;
}

/** Everything measured in one load phase. */
export interface LoadResult {
  docs: number;
  sockets: number;
  sent: number;
  expected: number;
  tally: Tally;
  convergedDocs: number;
  firstSyncMs: number[];
  failedConnects: number;
  serverCpuSeconds: number;
  /** Times the server's main thread was woken during the measured phase. */
  serverWakeups: number;
  /** Database commits of edits during the measured phase (Nordraum only). */
  commits: number | undefined;
  databaseCpuSeconds: number | undefined;
  generatorCpuSeconds: number;
  generatorLagP99Ms: number;
  machineBusyPercent: number;
  otherBusyPercent: number;
  peakRssMiB: number;
  loadedRssMiB: number;
  /** Resident memory with every socket connected and synced, before the first edit. */
  connectedRssMiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  documentsLoadedAfter: number | undefined;
}

export interface DocSession {
  writers: { doc: Y.Doc; client: SyncClient }[];
  listeners: Listener[];
}

const connectBatch = 50;
const syncTimeoutMs = 30_000;
const drainTimeoutMs = 10_000;
const lagResolutionMs = 10;

/** Resolves with the promise's value, or with undefined once `ms` passed first. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function closeAll(sessions: DocSession[]): void {
  for (const session of sessions) {
    for (const { doc, client } of session.writers) {
      client.destroy();
      doc.destroy();
    }
    for (const listener of session.listeners) listener.close();
  }
}

/** Connects every writer and listener, `connectBatch` at a time, and records time to first sync. */
export async function connectAll(
  target: Pick<Target, 'client' | 'listener'>,
  names: string[],
  plan: LoadPlan,
  tally: Tally,
) {
  const sessions: DocSession[] = names.map(() => ({ writers: [], listeners: [] }));
  const connects: (() => Promise<number>)[] = [];
  names.forEach((name, d) => {
    for (let s = 0; s < plan.socketsPerDoc; s += 1) {
      const session = sessions[d]!;
      if (s < plan.writersPerDoc && plan.rawWriters) {
        connects.push(() => {
          const doc = new Y.Doc();
          // Numbered as drive() numbers the writers.
          const listener = target.listener(name, countUpdates(tally, d * plan.writersPerDoc + s));
          doc.on('update', (update: Uint8Array) => listener.send(update));
          session.writers.push({ doc, client: { synced: listener.synced, destroy: () => listener.close() } });
          return listener.synced;
        });
      } else if (s < plan.writersPerDoc) {
        connects.push(() => {
          const doc = new Y.Doc();
          observeEdits(doc, tally);
          const client = target.client(name, doc);
          session.writers.push({ doc, client });
          return client.synced;
        });
      } else {
        connects.push(() => {
          const listener = target.listener(name, countUpdates(tally));
          session.listeners.push(listener);
          return listener.synced;
        });
      }
    }
  });
  const firstSyncMs: number[] = [];
  let failed = 0;
  for (let i = 0; i < connects.length; i += connectBatch) {
    const times = await Promise.all(connects.slice(i, i + connectBatch).map((c) => within(c(), syncTimeoutMs)));
    // A server that syncs nobody would otherwise cost syncTimeoutMs for every batch.
    if (times.every((ms) => ms === undefined))
      throw new Error(`no socket of a batch synced within ${syncTimeoutMs} ms`);
    for (const ms of times) {
      if (ms === undefined) failed += 1;
      else firstSyncMs.push(ms);
    }
  }
  return { sessions, firstSyncMs, failed };
}

/** Types for T seconds, then waits until every receiver has every edit (or the drain timeout). */
export async function drive(sessions: DocSession[], plan: LoadPlan, tally: Tally) {
  const stops = sessions.flatMap((session, d) =>
    session.writers.map(({ doc }, w) => startWriter(doc, d * plan.writersPerDoc + w, plan.rate, plan.alongside)),
  );
  await sleep(plan.seconds * 1000);
  const sent = stops.map((stop) => stop()).reduce((a, b) => a + b, 0);
  // Every edit is due at every other socket of its document.
  const expected = sent * (plan.socketsPerDoc - 1);
  const deadline = performance.now() + drainTimeoutMs;
  while (tally.delivered < expected && performance.now() < deadline) await sleep(20);
  return { sent, expected };
}

/** A document converged when all its Yjs clients hold the same edits and the same state vector. */
export function converged(session: DocSession): boolean {
  const views = session.writers.map(({ doc }) => {
    const vector = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
    return `${vector}|${JSON.stringify(doc.getArray('edits').toJSON())}`;
  });
  return views.every((view) => view === views[0]);
}

/** Starts the CPU and event-loop meters of the load phase; the returned function reads them. */
export function startMeters(target: Target) {
  const databasePid = target.databasePid();
  // The export render process's CPU is the server's, not the machine's other load.
  const server0 = serverTreeCpuSeconds(target.pid, databasePid);
  const wakeups0 = wakeups(target.pid);
  const database0 = databasePid ? treeCpuSeconds(databasePid) : 0;
  const own0 = process.cpuUsage();
  const machine0 = machineJiffies();
  const started = performance.now();
  const lag = monitorEventLoopDelay({ resolution: lagResolutionMs });
  lag.enable();
  return () => {
    lag.disable();
    const own = process.cpuUsage(own0);
    const machine = machineJiffies();
    const serverCpuSeconds = serverTreeCpuSeconds(target.pid, databasePid) - server0;
    const serverWakeups = wakeups(target.pid) - wakeups0;
    const databaseCpuSeconds = databasePid ? treeCpuSeconds(databasePid) - database0 : undefined;
    const generatorCpuSeconds = (own.user + own.system) / 1e6;
    const machineBusyPercent = (100 * (machine.busy - machine0.busy)) / Math.max(1, machine.total - machine0.total);
    const coreSeconds = ((performance.now() - started) / 1000) * availableParallelism();
    const oursPercent = (100 * (serverCpuSeconds + (databaseCpuSeconds ?? 0) + generatorCpuSeconds)) / coreSeconds;
    return {
      serverCpuSeconds,
      serverWakeups,
      databaseCpuSeconds,
      generatorCpuSeconds,
      // The histogram holds whole timer periods: the lag is what exceeds the sampling period.
      generatorLagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - lagResolutionMs),
      machineBusyPercent,
      // Other work on the machine (another test run, a build) makes a phase's figures noisy.
      otherBusyPercent: Math.max(0, machineBusyPercent - oursPercent),
    };
  };
}

/** Runs one load phase on fresh documents and leaves the server with no clients. */
export async function runLoad(target: Target, plan: LoadPlan): Promise<LoadResult> {
  const names = await target.createDocuments(plan.docs);
  await plan.prepare?.(target, names);
  const tally = newTally(plan.timeline);
  const rssBeforeMiB = rssMiB(target.pid);
  resetPeakRss(target.pid);
  const { sessions, firstSyncMs, failed } = await connectAll(target, names, plan, tally);
  await sleep(500); // let awareness and handshake replies settle before measuring CPU
  const connectedRssMiB = rssMiB(target.pid);
  const commits0 = await target.commits?.();
  const readMeters = startMeters(target);
  const { sent, expected } = await drive(sessions, plan, tally);
  const meters = readMeters();
  const commits1 = await target.commits?.();
  const loadedRssMiB = rssMiB(target.pid);
  const peak = peakRssMiB(target.pid);
  const convergedDocs = sessions.filter(converged).length;
  closeAll(sessions);
  return finishLoad(target, plan, {
    sent,
    expected,
    tally,
    convergedDocs,
    firstSyncMs,
    failedConnects: failed,
    ...meters,
    commits: commits0 === undefined || commits1 === undefined ? undefined : commits1 - commits0,
    peakRssMiB: peak,
    loadedRssMiB,
    connectedRssMiB,
    rssBeforeMiB,
  });
}

/** What a load phase measured while its sockets were open. */
export type MeasuredLoad = Omit<LoadResult, 'docs' | 'sockets' | 'rssAfterMiB' | 'documentsLoadedAfter'>;

/**
 * Completes a phase's result once its sockets are closed (here and in spread-load.ts): sorts the
 * samples, lets the server's memory settle, and reads what it kept.
 */
export async function finishLoad(target: Target, plan: LoadPlan, measured: MeasuredLoad): Promise<LoadResult> {
  measured.tally.latencies.sort((a, b) => a - b);
  measured.firstSyncMs.sort((a, b) => a - b);
  if (plan.settle !== false) await sleep(target.memorySettleMs ?? target.unloadWaitMs + 1000);
  return {
    docs: plan.docs,
    sockets: plan.docs * plan.socketsPerDoc,
    ...measured,
    rssAfterMiB: rssMiB(target.pid),
    documentsLoadedAfter: await target.documentsLoaded?.(),
  };
}
