/**
 * Live editing while exports and imports run: Nordraum (the bundle, as `npm start` runs it) with
 * a 50-page protocol and a roadmap of 200 milestones, stock y-websocket clients typing on other
 * documents (see load.ts). The issue's target: the sync p99 during an export is no worse than
 * +5 ms over the p99 without one. Two loads:
 * - spaced: one job at a time with a pause after each (an export every 1.5 to 2 s, as people
 *   press the button), for each kind the issue names: protocol to PDF, protocol to ODT, roadmap to
 *   PDF, import of a 5 MB DOCX. Printed: the p99 of all edits of the phase and of the edits in
 *   flight while a job was (sent before it ended and received after it started). The exported
 *   document gets a small edit after each export, so that every export renders (a server may
 *   keep the file of an unchanged document); the row "unchanged" exports without edits between.
 * - back to back: the protocol to PDF one export after the other (an edit between), the worst case, with the export
 *   worker and (for comparison) under other scheduling and rendering in the main thread. The exports come in
 *   bursts of 2 s with 2 s pauses between.
 * Each phase is measured against two baselines: a quiet phase before (no jobs at all), and its own
 * edits between jobs (sent at least 250 ms after a job ended and received before the next began).
 * The second is what the target means: on a shared machine the load of others drifts over a run,
 * and a quiet phase a minute earlier counts that drift as the jobs' doing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { type NotesBlock, readNotesTree, writeNotesTree } from '@nordraum/domain';
import * as Y from 'yjs';
import { connectYWebsocket, webSocketWithHeaders } from './clients.ts';
import { type LoadPlan, type LoadResult, runLoad } from './load.ts';
import { startNordraum } from './nordraum.ts';
import { percentile } from './report.ts';
import type { RequestAnswer, RequestMessage } from './request-worker.ts';
import { addDifference, type ThreadTimes, threadTimeReader } from './thread-time.ts';

/** Four documents with three typists each, five edits a second each, for `seconds` (default 20). */
const planFor = (seconds: number): LoadPlan => ({
  docs: 4,
  socketsPerDoc: 3,
  writersPerDoc: 3,
  rate: 5,
  seconds,
  timeline: true,
});

type Server = Awaited<ReturnType<typeof startNordraum>>;

/** What the jobs work on. */
export interface ExportLoadInput {
  protocol: NotesBlock[];
  /** Fills an empty roadmap document with its themes and milestones; returns how many milestones. */
  fillRoadmap: (doc: Y.Doc) => number;
  milestones: (doc: Y.Doc) => number;
  /** Changes what a roadmap export shows a little (a milestone's title), so that the next export renders anew. */
  touchRoadmap: (doc: Y.Doc) => void;
  docx: Uint8Array;
}

/** Creates a document of `kind`, fills it through /sync and waits until the server holds all of it; returns its id and the connected copy. */
async function upload(
  server: Server,
  kind: string,
  title: string,
  fill: (doc: Y.Doc) => void,
  complete: (doc: Y.Doc) => boolean,
) {
  const response = await fetch(`${server.url}/api/rooms/${server.roomId}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie: server.cookie },
    body: JSON.stringify({ kind, title }),
  });
  const { document } = (await response.json()) as { document: { id: string } };
  const doc = new Y.Doc();
  const sync = `${server.url.replace(/^http/, 'ws')}/sync`;
  const socket = webSocketWithHeaders({ cookie: server.cookie, origin: server.url });
  const client = connectYWebsocket(sync, document.id, doc, socket);
  await client.synced;
  fill(doc);
  const deadline = performance.now() + 60_000;
  for (;;) {
    const state = await fetch(`${server.url}/api/documents/${document.id}/state`, {
      headers: { cookie: server.cookie },
    });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, new Uint8Array(await state.arrayBuffer()));
    if (complete(copy)) break;
    if (performance.now() > deadline) throw new Error(`the ${kind} document did not reach the server`);
    await sleep(200);
  }
  return { id: document.id, doc, close: () => client.destroy() };
}

/** The kinds of job the issue names. */
export const jobKinds = [
  'protocol PDF',
  'protocol PDF, unchanged',
  'protocol ODT',
  'roadmap PDF',
  'DOCX import (5 MB)',
] as const;
export type JobKind = (typeof jobKinds)[number];

/** One job: `run` throws on a failed answer; `after` changes its document a little (so the next export renders). */
interface Job {
  run: () => Promise<void>;
  after?: () => void;
}

/** A change to the document that no export shows: a counter in a map of its own. */
function touch(doc: Y.Doc) {
  const map = doc.getMap<number>('bench');
  map.set('touched', (map.get('touched') ?? 0) + 1);
}

type JobRequest = { method?: string; headers: Record<string, string> };

/** The jobs' HTTP requests, each answering the status once its answer is read. */
interface Requests {
  /** Keeps `bytes` as the body called `name`. */
  keep(name: string, bytes: Uint8Array): void;
  send(url: string, init: JobRequest, body?: string): Promise<number>;
  close(): void;
}

/** Requests on the typists' event loop (the figures as first measured: reading the answers delays receipts). */
function requestsOnThisThread(): Requests {
  const bodies = new Map<string, Uint8Array<ArrayBuffer>>();
  return {
    keep: (name, bytes) => bodies.set(name, bytes as Uint8Array<ArrayBuffer>),
    async send(url, init, body) {
      const response = await fetch(url, { ...init, body: body === undefined ? undefined : bodies.get(body)! });
      await response.arrayBuffer();
      return response.status;
    },
    close() {},
  };
}

/** Requests from a thread of their own (request-worker.ts). */
function requestsInAThread(): Requests {
  const worker = new Worker(new URL('./request-worker.ts', import.meta.url));
  const waiting = new Map<number, { resolve: (status: number) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  worker.on('message', (answer: RequestAnswer) => {
    const request = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ('status' in answer) request?.resolve(answer.status);
    else request?.reject(new Error(answer.error));
  });
  worker.on('error', (error) => {
    for (const request of waiting.values()) request.reject(error);
    waiting.clear();
  });
  return {
    keep: (name, bytes) => worker.postMessage({ type: 'body', name, bytes } satisfies RequestMessage),
    send(url, init, body) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: 'request', id, url, init, body } satisfies RequestMessage);
      });
    },
    close: () => void worker.terminate(),
  };
}

/**
 * Uploads the protocol and the roadmap; returns the jobs by kind, and a function that closes their
 * clients. The jobs' requests are made from a thread of their own (request-worker.ts), unless
 * `requestsHere`.
 */
async function prepareJobs(server: Server, input: ExportLoadInput, requestsHere = false) {
  const protocol = await upload(
    server,
    'notes',
    'Workshop-Protokoll (50 Seiten)',
    (doc) => writeNotesTree(doc, input.protocol),
    (doc) => readNotesTree(doc).length === input.protocol.length,
  );
  let milestones = 0;
  const roadmap = await upload(
    server,
    'roadmap',
    'Roadmap (200 Meilensteine)',
    (doc) => {
      milestones = input.fillRoadmap(doc);
    },
    (doc) => input.milestones(doc) === milestones,
  );
  // The upload is encoded once: encoding 5 MB of multipart for every request would hold this
  // process, whose typists measure the latencies, and count against the server.
  const form = new FormData();
  form.set('file', new Blob([input.docx.slice()]), 'Protokoll.docx');
  const encoded = new Request('http://bench.invalid/', { method: 'POST', body: form });
  const docxUpload = {
    type: encoded.headers.get('content-type')!,
    body: new Uint8Array(await encoded.arrayBuffer()),
  };
  const requests = requestsHere ? requestsOnThisThread() : requestsInAThread();
  requests.keep('docx', docxUpload.body);
  const ok = async (status: Promise<number>, what: string) => {
    const answered = await status;
    if (answered < 200 || answered > 299) throw new Error(`${what} answered ${answered}`);
  };
  const exportOf = (id: string, format: string) => async () =>
    ok(
      requests.send(`${server.url}/api/documents/${id}/export?format=${format}`, {
        headers: { cookie: server.cookie },
      }),
      `export ${format}`,
    );
  const jobs: Record<JobKind, Job> = {
    'protocol PDF': { run: exportOf(protocol.id, 'pdf'), after: () => touch(protocol.doc) },
    'protocol PDF, unchanged': { run: exportOf(protocol.id, 'pdf') },
    'protocol ODT': { run: exportOf(protocol.id, 'odt'), after: () => touch(protocol.doc) },
    'roadmap PDF': { run: exportOf(roadmap.id, 'pdf'), after: () => input.touchRoadmap(roadmap.doc) },
    'DOCX import (5 MB)': {
      run: async () =>
        ok(
          requests.send(
            `${server.url}/api/rooms/${server.roomId}/imports`,
            {
              method: 'POST',
              headers: { cookie: server.cookie, origin: server.url, 'content-type': docxUpload.type },
            },
            'docx',
          ),
          'import',
        ),
    },
  };
  return {
    jobs,
    close() {
      protocol.close();
      roadmap.close();
      requests.close();
    },
  };
}

/** How a job repeats in a phase: a pause after each run, and optionally in bursts with pauses between. */
interface Pace {
  gapMs: number;
  /** Runs for `burstMs`, then nothing for `pauseMs`, and again (without: runs throughout). */
  burst?: { burstMs: number; pauseMs: number };
}

/** A job's [start, end], and with --threads the thread times at both. */
type Span = [number, number] & { times?: [ThreadTimes, ThreadTimes] };

/** Runs `job` until `stop` says so, at `pace`; the [start, end] of each run. */
async function repeat(
  job: Job,
  pace: Pace,
  stop: () => boolean,
  readTimes: (() => ThreadTimes) | null,
): Promise<Span[]> {
  const spans: Span[] = [];
  let burstStarted = performance.now();
  while (!stop()) {
    if (pace.burst && performance.now() - burstStarted >= pace.burst.burstMs) {
      await sleep(pace.burst.pauseMs);
      burstStarted = performance.now();
      continue;
    }
    const before = readTimes?.();
    const started = performance.now();
    await job.run();
    const span: Span = [started, performance.now()];
    if (before) span.times = [before, readTimes!()];
    spans.push(span);
    job.after?.();
    if (pace.gapMs > 0) await sleep(pace.gapMs);
  }
  return spans;
}

/** One load phase while `job` repeats; the phase and the job's spans. */
async function loadWhile(server: Server, seconds: number, job: Job, pace: Pace, threads = false) {
  let done = false;
  const readTimes = threads ? threadTimeReader(server.pid, server.databasePid()) : null;
  const running = repeat(job, pace, () => done, readTimes);
  const result = await runLoad(server, planFor(seconds)).finally(() => {
    done = true;
  });
  return { result, spans: await running };
}

/**
 * How long after a job's end its edits still do not count as quiet: the answer's bytes are
 * written, the exported document's edit is applied, the worker's heap is collected.
 */
const settleMs = 250;

/**
 * Latencies of the edits in flight during any of `spans` (sent before its end, received after its
 * start), and of those clear of every span (sent `settleMs` or more after the last ended, received
 * before the next started), sorted.
 */
function latenciesAround(result: LoadResult, spans: [number, number][]) {
  const timeline = result.tally.timeline ?? [];
  const during: number[] = [];
  const between: number[] = [];
  for (let index = 0; index < timeline.length; index += 2) {
    const sent = timeline[index]!;
    const latency = timeline[index + 1]!;
    const received = sent + latency;
    if (spans.some(([start, end]) => sent <= end && received >= start)) during.push(latency);
    else if (!spans.some(([start, end]) => sent <= end + settleMs && received >= start)) between.push(latency);
  }
  return { during: during.sort((a, b) => a - b), between: between.sort((a, b) => a - b) };
}

/** Milliseconds per second on a CPU and waiting for one, per group of threads: during jobs, and between them. */
export interface ThreadShares {
  group: string;
  cpuDuring: number;
  cpuBetween: number;
  waitDuring: number;
  waitBetween: number;
}

/**
 * The thread times of the spans while the typists typed (from the first edit sent to the last):
 * during each job, and from each job's end to the next one's start.
 */
function threadShares(result: LoadResult, spans: Span[]): ThreadShares[] | undefined {
  const timeline = result.tally.timeline ?? [];
  if (timeline.length === 0 || !spans.some((span) => span.times)) return undefined;
  const first = timeline[0]!;
  const last = timeline.reduce((latest, value, index) => (index % 2 === 0 ? Math.max(latest, value) : latest), first);
  const during: ThreadTimes = new Map();
  const between: ThreadTimes = new Map();
  let duringMs = 0;
  let betweenMs = 0;
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    if (!span.times || span[0] < first || span[1] > last) continue;
    addDifference(during, span.times[1], span.times[0]);
    duringMs += span[1] - span[0];
    const next = spans[index + 1];
    if (!next?.times || next[0] > last) continue;
    addDifference(between, next.times[0], span.times[1]);
    betweenMs += next[0] - span[1];
  }
  const perSecond = (ns: number | undefined, ms: number) => (ms > 0 ? (ns ?? 0) / 1e6 / (ms / 1000) : 0);
  return [...new Set([...during.keys(), ...between.keys()])].sort().map((group) => ({
    group,
    cpuDuring: perSecond(during.get(group)?.cpuNs, duringMs),
    cpuBetween: perSecond(between.get(group)?.cpuNs, betweenMs),
    waitDuring: perSecond(during.get(group)?.waitNs, duringMs),
    waitBetween: perSecond(between.get(group)?.waitNs, betweenMs),
  }));
}

/**
 * With BENCH_EXPORT_DUMP=<directory>: a phase's raw figures (each edit's send time and latency,
 * each job's span) as `<name>.json` there, for other statistics than the table's.
 */
function dump(name: string, result: LoadResult, spans: Span[]) {
  const directory = process.env.BENCH_EXPORT_DUMP;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  const raw = { timeline: result.tally.timeline ?? [], spans: spans.map(([start, end]) => [start, end]) };
  writeFileSync(join(directory, `${name.replace(/[^\w-]+/g, '_')}.json`), JSON.stringify(raw));
}

/** The figures of one phase against the quiet phase's p99 and against its own edits between jobs. */
function row(quietP99: number, result: LoadResult, spans: Span[]) {
  const { during, between } = latenciesAround(result, spans);
  const duringP99 = percentile(during, 99);
  const betweenP99 = percentile(between, 99);
  const times = spans.map(([start, end]) => end - start).sort((a, b) => a - b);
  return {
    jobs: spans.length,
    jobMedianMs: percentile(times, 50),
    allP99: percentile(result.tally.latencies, 99),
    duringP50: percentile(during, 50),
    duringP99,
    duringEdits: during.length,
    betweenP99,
    betweenEdits: between.length,
    /** Against the quiet phase measured before (the figure as first reported). */
    change: duringP99 - quietP99,
    /** Against the edits between this phase's own jobs. */
    changeInPhase: duringP99 - betweenP99,
    delivered: `${result.tally.delivered}/${result.expected}`,
    /** The machine's CPU used by others (another test run, a browser) during the phase: a noisy phase's figures say little. */
    otherBusyPercent: result.otherBusyPercent,
    /** With `threads`: where the machine's time went, during jobs and between them. */
    threads: threadShares(result, spans),
    /** How late this process's own timers ran (p99): lag here delays receipts, whoever causes it. */
    clientLagP99: result.generatorLagP99Ms,
  };
}

/** Warms every job up (compiled code, the worker's fonts), then measures a quiet phase. */
async function quietPhase(server: Server, jobs: Job[], seconds: number) {
  for (const job of jobs) {
    for (let run = 0; run < 2; run++) {
      await job.run();
      job.after?.();
    }
  }
  const quiet = await runLoad(server, planFor(seconds));
  return { quietP50: percentile(quiet.tally.latencies, 50), quietP99: percentile(quiet.tally.latencies, 99) };
}

/** Spaced jobs of every kind on one server with the default export worker. */
export async function syncDuringSpacedJobs(
  input: ExportLoadInput,
  options: { seconds: number; gapMs: number; threads?: boolean; requestsHere?: boolean },
) {
  const server = await startNordraum();
  try {
    const { jobs, close } = await prepareJobs(server, input, options.requestsHere);
    try {
      const { quietP99 } = await quietPhase(server, Object.values(jobs), options.seconds);
      const rows = [];
      for (const kind of jobKinds) {
        const pace = { gapMs: options.gapMs };
        const { result, spans } = await loadWhile(server, options.seconds, jobs[kind], pace, options.threads);
        dump(kind, result, spans);
        rows.push({ kind, quietP99, ...row(quietP99, result, spans) });
      }
      return rows;
    } finally {
      close();
    }
  } finally {
    await server.stop();
  }
}

/** How the export threads are scheduled (NORDRAUM_EXPORT_SCHEDULING and NORDRAUM_EXPORT_NICENESS). */
export interface ExportScheduling {
  scheduling: 'idle' | 'nice';
  niceness: number;
}

/**
 * One server with `workers` export workers: p99 of edits alone and while the protocol is exported
 * to PDF back to back (in bursts of 2 s, with 2 s between them for the phase's own baseline).
 */
export async function syncDuringExports(
  workers: number,
  { scheduling, niceness }: ExportScheduling,
  input: ExportLoadInput,
  seconds: number,
  options: { threads?: boolean; requestsHere?: boolean } = {},
) {
  const server = await startNordraum({
    NORDRAUM_EXPORT_WORKERS: String(workers),
    NORDRAUM_EXPORT_NICENESS: String(niceness),
    NORDRAUM_EXPORT_SCHEDULING: scheduling,
  });
  try {
    const { jobs, close } = await prepareJobs(server, input, options.requestsHere);
    const { quietP50, quietP99 } = await quietPhase(server, [jobs['protocol PDF']], seconds);
    // The 30 ms after each export let its edit arrive before the next export is asked for.
    const pace = { gapMs: 30, burst: { burstMs: 2000, pauseMs: 2000 } };
    const { result, spans } = await loadWhile(server, seconds, jobs['protocol PDF'], pace, options.threads).finally(
      close,
    );
    dump(`back-to-back ${workers} ${scheduling} ${niceness}`, result, spans);
    return {
      workers,
      scheduling,
      niceness,
      quietP50,
      quietP99,
      ...row(quietP99, result, spans),
    };
  } finally {
    await server.stop();
  }
}
