/**
 * What naming versions costs a document's other editors, measured so that two builds can be
 * compared fairly (used by history.ts):
 *
 * - Versions are named at a fixed rate (open loop: one request in every 1/rate s period, at a
 *   random time within it, whether the last one has answered or not, at most `MAX_IN_FLIGHT` at
 *   once), so both builds get the same load; naming "back to back" gave the faster build more
 *   versions to write.
 * - Typing alone and typing while naming alternate in slices within one run (quiet, naming,
 *   quiet, naming, ...): the shared machine's load drifts over seconds, and runs apart differed
 *   by tens of milliseconds. Each pair's difference is printed, and their median.
 * - "During a save" counts the edits whose send time falls inside a naming request's window
 *   (sent .. answer read). How many there were is printed: a p99 of fewer than 100 samples is
 *   their largest or second largest, and is said so.
 */
import type * as Y from 'yjs';
import { connectClient, eventually, type SyncTarget } from '../../tests/helpers/sync.ts';
import { type Edit, startWriter } from './edits.ts';
import { cpuSeconds, descendants, threadCpuSeconds } from './proc-stats.ts';
import { percentile } from './report.ts';

/** Naming requests open at once before a tick is skipped (and counted) rather than queued. */
const MAX_IN_FLIGHT = 4;
/** Editors connected to the document, and how many of them type (10 edits/s each). */
const EDITORS = 4;
const WRITERS = 2;

/** One delivered edit: when it was sent and how long it took to reach one other editor. */
interface Delivery {
  sentAt: number;
  latency: number;
}

/** How the editors' figures are taken: `rate` versions per second, `pairs` pairs of `sliceMs` slices. */
export interface NamingLoad {
  rate: number;
  pairs: number;
  sliceMs: number;
}

/** One pair of slices: the p99s of quiet and naming, and of the edits sent during a save. */
interface Pair {
  quiet: number;
  naming: number;
  duringSave: number;
  duringSaveCount: number;
  quietAtSaves: number;
}

/** The figures of one rate. */
export interface NamingFigures {
  load: NamingLoad;
  quiet: number;
  naming: number;
  duringSave: number;
  duringSaveCount: number;
  /** The p99 of the quiet slices' edits sent at the save times of their pair's naming slice. */
  quietAtSaves: number;
  quietAtSavesCount: number;
  quietCount: number;
  pairs: Pair[];
  named: number;
  skipped: number;
  failed: number;
  saveMedian: number;
  saveP99: number;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const p99 = (values: number[]) => percentile(sorted(values), 99);
/** The middle value, or the mean of the middle two. */
function median(values: number[]): number {
  const ascending = sorted(values);
  const middle = ascending.length / 2;
  return Number.isInteger(middle) ? (ascending[middle - 1]! + ascending[middle]!) / 2 : ascending[Math.floor(middle)]!;
}
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Records every remote edit that arrives in `doc` (see edits.ts for the edits' shape). */
function observeDeliveries(doc: Y.Doc, deliveries: { list: Delivery[] }) {
  doc.getArray<Edit>('edits').observe((event) => {
    if (event.transaction.local) return;
    const now = performance.now();
    for (const delta of event.changes.delta)
      for (const edit of (delta.insert ?? []) as Edit[])
        deliveries.list.push({ sentAt: edit[2], latency: now - edit[2] });
  });
}

/**
 * Calls `name` `rate` times a second until stopped (open loop, at most `MAX_IN_FLIGHT` at once):
 * once in every 1000/`rate` ms period from the start, at a random time within it. On schedule
 * from the start, so a late tick does not lower the rate; at a random time, so the saves do not
 * fall in step with the typists' 100 ms ticks (a save every 50 ms at a fixed phase caught the
 * same few milliseconds of their period every time, and in some slices no edit at all).
 * `stop` resolves once every request sent has answered, with each one's window.
 */
function nameAtRate(name: () => Promise<unknown>, rate: number) {
  const period = 1000 / rate;
  const windows: [number, number][] = [];
  const open = new Set<Promise<void>>();
  let skipped = 0;
  let failed = 0;
  const started = performance.now();
  let ticks = 0;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    if (open.size >= MAX_IN_FLIGHT) skipped += 1;
    else {
      const from = performance.now();
      const request: Promise<void> = name().then(
        () => {
          windows.push([from, performance.now()]);
        },
        () => {
          failed += 1;
        },
      );
      open.add(request);
      void request.finally(() => open.delete(request));
    }
    ticks += 1;
    timer = setTimeout(tick, Math.max(0, started + (ticks + Math.random()) * period - performance.now()));
  };
  timer = setTimeout(tick, Math.random() * period);
  return async () => {
    clearTimeout(timer);
    await Promise.all(open);
    return { windows, skipped, failed };
  };
}

/**
 * The editors' p99 edit-to-remote while versions are named at `load.rate` per second, against
 * typing alone, in `load.pairs` alternating pairs of slices. `name` names one version and rejects
 * when the server did not answer 201.
 */
export async function editorsWhileNaming(
  target: SyncTarget,
  documentId: string,
  name: () => Promise<unknown>,
  load: NamingLoad,
): Promise<NamingFigures> {
  const editors = Array.from({ length: EDITORS }, () => connectClient(target, documentId));
  await Promise.all(editors.map((editor) => editor.synced()));
  const deliveries = { list: [] as Delivery[] };
  for (const editor of editors) observeDeliveries(editor.doc, deliveries);
  const slice = async (naming: boolean) => {
    deliveries.list = [];
    const startedAt = performance.now();
    const stops = editors.slice(0, WRITERS).map((editor, writer) => startWriter(editor.doc, writer, 10));
    const stopNaming = naming ? nameAtRate(name, load.rate) : null;
    await sleep(load.sliceMs);
    const sent = stops.reduce((sum, stop) => sum + stop(), 0);
    const saves = (await stopNaming?.()) ?? { windows: [], skipped: 0, failed: 0 };
    // Every edit reaches the other editors.
    await eventually(() => deliveries.list.length >= sent * (EDITORS - 1), 30_000);
    const list = deliveries.list;
    const inSave = ({ sentAt }: Delivery) => saves.windows.some(([from, to]) => sentAt >= from && sentAt < to);
    return {
      latencies: list.map(({ latency }) => latency),
      duringSave: list.filter(inSave).map(({ latency }) => latency),
      // Send times from the slice's start, for the quiet edits at a naming slice's save times.
      offsets: list.map(({ sentAt, latency }) => [sentAt - startedAt, latency] as const),
      ...saves,
      windows: saves.windows.map(([from, to]) => [from - startedAt, to - startedAt] as const),
    };
  };
  // One pair first, not counted: connections, code and caches warm up in it.
  await slice(false);
  await slice(true);
  const quiet: number[] = [];
  const naming: number[] = [];
  const duringSave: number[] = [];
  const quietAtSaves: number[] = [];
  const saveTimes: number[] = [];
  const pairs: Pair[] = [];
  let skipped = 0;
  let failed = 0;
  for (let i = 0; i < load.pairs; i += 1) {
    const alone = await slice(false);
    const named = await slice(true);
    quiet.push(...alone.latencies);
    naming.push(...named.latencies);
    duringSave.push(...named.duringSave);
    // The control for "during a save": the quiet slice's edits sent at the same offsets as the
    // saves of the naming slice, so both p99s are of about as many samples (a p99 of 50 is their
    // largest, of 3,000 the 30th largest: compared with each other, the few look better).
    const sameWindows = alone.offsets
      .filter(([offset]) => named.windows.some(([from, to]) => offset >= from && offset < to))
      .map(([, latency]) => latency);
    quietAtSaves.push(...sameWindows);
    saveTimes.push(...named.windows.map(([from, to]) => to - from));
    skipped += named.skipped;
    failed += named.failed;
    pairs.push({
      quiet: p99(alone.latencies),
      naming: p99(named.latencies),
      duringSave: p99(named.duringSave),
      duringSaveCount: named.duringSave.length,
      quietAtSaves: p99(sameWindows),
    });
  }
  for (const editor of editors) editor.destroy();
  return {
    load,
    quiet: p99(quiet),
    quietCount: quiet.length,
    naming: p99(naming),
    duringSave: p99(duringSave),
    duringSaveCount: duringSave.length,
    quietAtSaves: p99(quietAtSaves),
    quietAtSavesCount: quietAtSaves.length,
    pairs,
    named: saveTimes.length,
    skipped,
    failed,
    saveMedian: median(saveTimes),
    saveP99: p99(saveTimes),
  };
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;

/** How many samples a p99 is of, and which of them it is when that is one of the largest two. */
function rankOf(count: number): string {
  const fromTop = count - Math.ceil(0.99 * count) + 1;
  if (fromTop > 2) return `n=${count}`;
  return `n=${count}: only ${count} samples, so this p99 is their ${fromTop === 1 ? 'largest' : 'second largest'}`;
}

/** Prints one rate's figures. */
export function printNaming(figures: NamingFigures): void {
  const { load, pairs } = figures;
  const seconds = (load.pairs * load.sliceMs) / 1000;
  console.log(
    `  naming ${load.rate} version(s) a second, ${seconds} s per side in ${load.pairs} pairs of ${load.sliceMs / 1000} s slices (quiet, naming, ...): ${figures.named} named, ${figures.skipped} ticks skipped (${MAX_IN_FLIGHT} open), ${figures.failed} failed; a save took median ${figures.saveMedian.toFixed(1)} ms, p99 ${figures.saveP99.toFixed(1)} ms`,
  );
  console.log(
    `    p99 edit-to-remote: quiet slices ${figures.quiet.toFixed(1)} ms (n=${figures.quietCount}); naming slices ${figures.naming.toFixed(1)} ms (${signed(figures.naming - figures.quiet)}); edits sent during a save ${figures.duringSave.toFixed(1)} ms (${signed(figures.duringSave - figures.quiet)} ms, target <= +5 ms; ${rankOf(figures.duringSaveCount)})`,
  );
  const namingDiffs = pairs.map((pair) => pair.naming - pair.quiet);
  const saveDiffs = pairs.map((pair) => pair.duringSave - pair.quiet).filter((diff) => !Number.isNaN(diff));
  const matchedDiffs = pairs.map((pair) => pair.duringSave - pair.quietAtSaves).filter((diff) => !Number.isNaN(diff));
  console.log(`    per pair, p99 quiet/naming/during a save (n): ${pairs.map(pairText).join(' ')}`);
  console.log(
    `    per pair, naming minus quiet: ${namingDiffs.map(signed).join(' ')}; median ${signed(median(namingDiffs))} ms`,
  );
  console.log(
    `    per pair, during a save minus quiet: ${saveDiffs.map(signed).join(' ')}; median ${signed(median(saveDiffs))} ms`,
  );
  console.log(
    `    quiet edits sent at the same times into their slice as the saves (${rankOf(figures.quietAtSavesCount)}): p99 ${figures.quietAtSaves.toFixed(1)} ms; during a save minus these ${signed(figures.duringSave - figures.quietAtSaves)} ms; per pair ${matchedDiffs.map(signed).join(' ')}; median ${signed(median(matchedDiffs))} ms`,
  );
}

const pairText = (pair: Pair) =>
  `${pair.quiet.toFixed(0)}/${pair.naming.toFixed(0)}/${Number.isNaN(pair.duringSave) ? '-' : pair.duringSave.toFixed(0)}(${pair.duringSaveCount})`;

/**
 * CPU per version named back to back with nobody typing (`count` versions, after a quarter as
 * many not counted): the server's main thread, its other threads (the state worker among them)
 * and PostgreSQL, from /proc.
 */
export async function cpuPerVersion(serverPid: number, name: () => Promise<unknown>, count: number) {
  const read = () => ({
    main: threadCpuSeconds(serverPid, serverPid),
    all: cpuSeconds(serverPid),
    database: descendants(serverPid).reduce((sum, pid) => sum + cpuSeconds(pid, true), 0),
    at: performance.now(),
  });
  // Not counted: the first requests run code the JIT has not optimised yet.
  for (let i = 0; i < count / 4; i += 1) await name();
  const before = read();
  for (let i = 0; i < count; i += 1) await name();
  const after = read();
  const perVersion = (seconds: number) => ((seconds * 1000) / count).toFixed(2);
  console.log(
    `  CPU per version named back to back (${count}, nobody typing; ${((after.at - before.at) / count).toFixed(1)} ms each): main thread ${perVersion(after.main - before.main)} ms, other threads ${perVersion(after.all - after.main - (before.all - before.main))} ms, PostgreSQL ${perVersion(after.database - before.database)} ms`,
  );
}
