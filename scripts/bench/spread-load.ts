/**
 * A load phase like runLoad's, with the clients spread over worker threads: each thread drives a
 * share of the documents (their writers and their listeners) on its own event loop and core, and
 * the parent merges what they measured. One thread receiving every delivery of thousands of edits
 * a second is otherwise the limit of the measurement instead of the server.
 * The generator's CPU (process.cpuUsage) counts all threads; its lag is the worst thread's.
 */
import { Worker } from 'node:worker_threads';
import { newTally } from './edits.ts';
import type { LoadPlan, LoadResult } from './load.ts';
import { finishLoad, startMeters } from './load.ts';
import type { WorkerInput, WorkerMessage } from './load-worker.ts';
import { peakRssMiB, resetPeakRss, rssMiB } from './proc-stats.ts';
import type { Target } from './target.ts';

const workerUrl = new URL('./load-worker.ts', import.meta.url);
const exitWaitMs = 2_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A started thread: its next message, and a way to let it go. */
function startWorker(input: WorkerInput) {
  const worker = new Worker(workerUrl, { workerData: input });
  const queue: WorkerMessage[] = [];
  let waiting: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
  };
  worker.on('message', (message: WorkerMessage) => {
    if (waiting) waiting.resolve(message);
    else queue.push(message);
    waiting = undefined;
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`load thread exited with ${code} before it reported`)));
  const exited = new Promise((done) => worker.once('exit', done));
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift()!)
        : failure
          ? Promise.reject(failure)
          : new Promise<WorkerMessage>((resolve, reject) => {
              waiting = { resolve, reject };
            }),
    go: () => worker.postMessage('go'),
    /** Waits for the thread to close its sockets and end, and ends it if it takes too long. */
    async end() {
      if ((await Promise.race([exited.then(() => true), sleep(exitWaitMs).then(() => false)])) === false)
        await worker.terminate();
    },
  };
}

/** Runs one load phase on fresh documents over `threads` worker threads (documents dealt round-robin). */
export async function runSpreadLoad(target: Target, plan: LoadPlan, threads: number): Promise<LoadResult> {
  if (plan.prepare || plan.alongside) throw new Error('a spread load cannot carry functions into its threads');
  const names = await target.createDocuments(plan.docs);
  const { prepare: _, alongside: __, ...shape } = plan;
  const shares = Array.from({ length: Math.min(threads, names.length) }, (_, t) =>
    names.filter((_, d) => d % threads === t),
  );
  const rssBeforeMiB = rssMiB(target.pid);
  resetPeakRss(target.pid);
  const workers = shares.map((share) => startWorker({ endpoint: target.endpoint, names: share, plan: shape }));
  try {
    const synced = await Promise.all(workers.map((w) => w.next()));
    const firstSyncMs: number[] = [];
    let failedConnects = 0;
    for (const message of synced) {
      if (message.type !== 'synced') throw new Error(`load thread sent ${message.type} before synced`);
      firstSyncMs.push(...message.firstSyncMs);
      failedConnects += message.failed;
    }
    await sleep(500); // let awareness and handshake replies settle before measuring CPU
    const connectedRssMiB = rssMiB(target.pid);
    const commits0 = await target.commits?.();
    const readMeters = startMeters(target);
    for (const w of workers) w.go();
    const done = await Promise.all(workers.map((w) => w.next()));
    const meters = readMeters();
    const commits1 = await target.commits?.();
    const loadedRssMiB = rssMiB(target.pid);
    const peak = peakRssMiB(target.pid);
    const tally = newTally();
    let sent = 0;
    let expected = 0;
    let convergedDocs = 0;
    let lagP99Ms = 0;
    for (const message of done) {
      if (message.type !== 'done') throw new Error(`load thread sent ${message.type} instead of done`);
      sent += message.sent;
      expected += message.expected;
      tally.delivered += message.delivered;
      for (const ms of message.latencies) tally.latencies.push(ms);
      convergedDocs += message.convergedDocs;
      lagP99Ms = Math.max(lagP99Ms, message.lagP99Ms);
    }
    await Promise.all(workers.map((w) => w.end()));
    return await finishLoad(target, plan, {
      sent,
      expected,
      tally,
      convergedDocs,
      firstSyncMs,
      failedConnects,
      ...meters,
      generatorLagP99Ms: lagP99Ms,
      commits: commits0 === undefined || commits1 === undefined ? undefined : commits1 - commits0,
      peakRssMiB: peak,
      loadedRssMiB,
      connectedRssMiB,
      rssBeforeMiB,
    });
  } finally {
    await Promise.all(workers.map((w) => w.end()));
  }
}
