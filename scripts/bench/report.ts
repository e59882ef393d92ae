/**
 * The printed tables: one column per server, then Nordraum's figures as ratios to each peer's
 * (below 1.00x means Nordraum used less, or was faster).
 */
import type { ColdLoadResult } from './cold-load.ts';
import type { LoadResult } from './load.ts';
import type { ServerName } from './options.ts';

/** What one server produced in a run; a phase that did not run is undefined. */
export interface ServerResults {
  name: ServerName;
  persistence: string;
  full?: LoadResult;
  listeners?: LoadResult;
  cold?: ColdLoadResult;
  coldNote?: string;
  error?: string;
}

type Value = number | string | undefined;
interface Metric<T> {
  label: string;
  value(result: T, name: ServerName): Value;
  ratio?: boolean;
}

/** The p-th percentile (0-100) of an ascending array; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Formats a number for a table cell. */
export function cell(value: Value, digits = 1): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return '-';
  return value.toFixed(digits);
}

/** Prints an aligned table: first column left-aligned, the others right-aligned. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) =>
    row.map((text, i) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(`  ${line(header)}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}

const latency = (r: LoadResult, p: number) => percentile(r.tally.latencies, p);

const loadMetrics: Metric<LoadResult>[] = [
  { label: 'sockets synced', value: (r) => `${r.sockets - r.failedConnects}/${r.sockets}` },
  { label: 'edit-to-remote latency p50 (ms)', value: (r) => latency(r, 50), ratio: true },
  { label: 'edit-to-remote latency p95 (ms)', value: (r) => latency(r, 95), ratio: true },
  { label: 'edit-to-remote latency p99 (ms)', value: (r) => latency(r, 99), ratio: true },
  { label: 'edit-to-remote latency max (ms)', value: (r) => latency(r, 100), ratio: true },
  {
    label: 'edits delivered / expected',
    value: (r) =>
      `${r.tally.delivered}/${r.expected} (${((100 * r.tally.delivered) / Math.max(1, r.expected)).toFixed(1)} %)`,
  },
  { label: 'documents converged', value: (r) => `${r.convergedDocs}/${r.docs}` },
  { label: 'time to first sync p50 (ms, 50 at once)', value: (r) => percentile(r.firstSyncMs, 50), ratio: true },
  { label: 'time to first sync p95 (ms, 50 at once)', value: (r) => percentile(r.firstSyncMs, 95), ratio: true },
  { label: 'server CPU during load (s)', value: (r) => r.serverCpuSeconds, ratio: true },
  { label: '  per edit typed (µs)', value: (r) => (1e6 * r.serverCpuSeconds) / Math.max(1, r.sent), ratio: true },
  { label: '  PostgreSQL CPU, not included above (s)', value: (r) => r.databaseCpuSeconds },
  {
    label: 'server wakeups per edit typed (main thread)',
    value: (r) => r.serverWakeups / Math.max(1, r.sent),
    ratio: true,
  },
  {
    label: 'database commits per edit typed',
    value: (r) => (r.commits === undefined ? undefined : r.commits / r.sent),
  },
  { label: 'server peak RSS (MiB)', value: (r) => r.peakRssMiB, ratio: true },
  { label: 'server RSS, all sockets connected (MiB)', value: (r) => r.loadedRssMiB, ratio: true },
  { label: 'server RSS before load (MiB)', value: (r) => r.rssBeforeMiB, ratio: true },
  { label: 'server RSS after clients left + unload + settle (MiB)', value: (r) => r.rssAfterMiB, ratio: true },
  { label: 'server RSS kept after unload (MiB)', value: (r) => r.rssAfterMiB - r.rssBeforeMiB, ratio: true },
  { label: 'documents still loaded after unload', value: (r) => r.documentsLoadedAfter },
  { label: 'load generator CPU (s)', value: (r) => r.generatorCpuSeconds },
  { label: 'load generator event-loop lag p99 (ms)', value: (r) => r.generatorLagP99Ms },
  { label: 'machine CPU busy, all cores (%)', value: (r) => r.machineBusyPercent },
  { label: '  outside these processes (%: kernel I/O, other programs)', value: (r) => r.otherBusyPercent },
];

function digitsFor(label: string): number {
  if (label.startsWith('documents')) return 0;
  if (label.includes('(%)')) return 1;
  if (label.endsWith('per edit typed') || label.includes('per edit typed (main')) return 2;
  return label.includes('CPU') ? 2 : 1;
}

// Column headers stay short so that a table fits a terminal; printLegend spells them out.
const short: Record<ServerName, string> = {
  nordraum: 'nordraum',
  'y-websocket-server': 'y-ws-server',
  hocuspocus: 'hocuspocus',
  'hocuspocus-sqlite': 'hp-sqlite',
};

/** Explains the short column names once, before the tables. */
export function printLegend(): void {
  console.log(
    '\nColumns: y-ws-server = @y/websocket-server (memory), hocuspocus = @hocuspocus/server (memory), ' +
      'hp-sqlite = @hocuspocus/server + node:sqlite store; ÷X = Nordraum divided by X (below 1.00x: Nordraum lower).',
  );
}

/** Rows of metric, one value per server, then Nordraum ÷ each peer where the metric has a ratio. */
function rowsFor<T>(metrics: Metric<T>[], results: ServerResults[], pick: (r: ServerResults) => T | undefined) {
  const nordraum = results.find((r) => r.name === 'nordraum');
  const peers = nordraum ? results.filter((r) => r !== nordraum) : [];
  const header = ['', ...results.map((r) => short[r.name]), ...peers.map((p) => `÷${short[p.name]}`)];
  const rows = metrics.map((metric) => {
    const values = results.map((r) => {
      const phase = pick(r);
      return phase === undefined ? undefined : metric.value(phase, r.name);
    });
    const mine = nordraum ? values[results.indexOf(nordraum)] : undefined;
    const ratios = peers.map((peer) => {
      const theirs = values[results.indexOf(peer)];
      if (!metric.ratio || typeof mine !== 'number' || typeof theirs !== 'number' || !(theirs > 0)) return '-';
      return `${(mine / theirs).toFixed(2)}x`;
    });
    return [metric.label, ...values.map((v) => cell(v, digitsFor(metric.label))), ...ratios];
  });
  return { header, rows };
}

/** Prints the table of one load phase for every server that ran it. */
export function printLoad(title: string, results: ServerResults[], phase: 'full' | 'listeners'): void {
  const ran = results.filter((r) => r[phase]);
  if (ran.length === 0) return;
  const { header, rows } = rowsFor(loadMetrics, ran, (r) => r[phase]);
  printTable(title, header, rows);
}

const coldMetrics: Metric<ServerResults>[] = [
  { label: 'persistence', value: (r) => r.persistence },
  { label: 'updates in the log', value: (r) => (r.cold ? String(r.cold.updates) : r.coldNote) },
  { label: 'first load after writing (ms)', value: (r) => r.cold?.first, ratio: true },
  { label: 'later loads, median (ms)', value: (r) => percentile(r.cold?.later ?? [], 50), ratio: true },
  { label: 'later loads, worst (ms)', value: (r) => percentile(r.cold?.later ?? [], 100), ratio: true },
  { label: 'loads that timed out', value: (r) => (r.cold ? String(r.cold.failed) : undefined) },
];

/** Prints the cold-load table. */
export function printColdLoad(title: string, results: ServerResults[]): void {
  const ran = results.filter((r) => r.cold || r.coldNote);
  if (ran.length === 0) return;
  const { header, rows } = rowsFor(coldMetrics, ran, (r) => r);
  printTable(title, header, rows);
}
