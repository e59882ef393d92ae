/**
 * The figures of the interleaved rounds: kept per phase, server and round (optionally in a JSON
 * file, so that phases run one at a time add up to one table), printed as medians with per-round
 * ratios, and checked against the targets in one table.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The servers of the rounds, in the order they run. */
export const serverNames = [
  'nordraum',
  'hocuspocus-sqlite',
  'hocuspocus-sqlite-each',
  'hocuspocus-sqlite-append',
  'y-websocket-server',
] as const;
export type ServerName = (typeof serverNames)[number];
/** The phases, in the order they run. */
export const phaseNames = ['burst', 'cpu', 'recovery', 'latency', 'capacity', 'big', 'rss'] as const;
export type PhaseName = (typeof phaseNames)[number];

/** One round's figures of one server in one phase. */
export type Figures = Record<string, number | undefined>;
/** Phase -> server -> one Figures per round, with a line describing each phase's load. */
export interface Results {
  phases: Partial<Record<PhaseName, Partial<Record<ServerName, Figures[]>>>>;
  loads: Partial<Record<PhaseName, string>>;
}

/** Reads earlier results from `file` (if given and present). */
export function readResults(file: string | undefined): Results {
  if (!file || !existsSync(file)) return { phases: {}, loads: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as Results;
}

/** Writes the results to `file`, if given. */
export function writeResults(file: string | undefined, results: Results) {
  if (file) writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
}

interface Measure {
  phase: PhaseName;
  key: string;
  label: string;
  digits: number;
  /** Whether a ratio Nordraum / peer means anything. */
  ratio: boolean;
}

const m = (phase: PhaseName, key: string, label: string, digits = 1, ratio = true): Measure => ({
  phase,
  key,
  label,
  digits,
  ratio,
});

const measures: Measure[] = [
  m('burst', 'burstP50', 'start-up burst: first sync p50 (ms)'),
  m('burst', 'burstP99', 'start-up burst: first sync p99 (ms)'),
  m('burst', 'burstFailed', 'start-up burst: joiners not synced in 30 s', 0, false),
  m('cpu', 'cpuPerEditUs', 'small load: server CPU per edit (us)', 0),
  m('cpu', 'cpuWithDatabasePerEditUs', 'small load: server + database CPU per edit (us)', 0),
  m('recovery', 'seenAtKill', 'SIGKILL: edits the observer had seen', 0, false),
  m('recovery', 'seenButLost', 'SIGKILL:   of those, missing after restart', 0, false),
  m('latency', 'latencyP99', '20x10x2/s: p99 edit-to-remote (ms)'),
  m('latency', 'latencyDelivered', '20x10x2/s: delivered (%)', 1, false),
  m('latency', 'latencyCpuWithDatabasePerEditUs', '20x10x2/s: server + database CPU per edit (us)', 0),
  m('latency', 'latencyGeneratorLag', '20x10x2/s: load generator lag p99 (ms)', 1, false),
  m('latency', 'latencyOtherBusy', '20x10x2/s: machine busy outside the bench (%)', 0, false),
  m('capacity', 'capacityRate', 'capacity: highest sustained rate (edits/s)', 0),
  m('capacity', 'capacityFailedRate', 'capacity: first rate over the limit (edits/s)', 0),
  m('big', 'bigStateMiB', '5 MB protocol: encoded state (MiB)', 2, false),
  m('big', 'bigCpuPerEditUs', '5 MB protocol: server CPU per edit (us)', 0),
  m('big', 'bigCpuWithDatabasePerEditUs', '5 MB protocol: server + database CPU per edit (us)', 0),
  m('big', 'bigP99', '5 MB protocol: p99 edit-to-remote (ms)'),
  m('big', 'bigDelivered', '5 MB protocol: delivered (%)', 1, false),
  m('rss', 'rssBeforePages', 'RSS idle, before any page (MiB)'),
  m('rss', 'rssIdle', 'RSS idle after pages, before the sockets (MiB)'),
  m('rss', 'rssConnected', 'RSS at 1,000 sockets, before the edits (MiB)'),
  m('rss', 'rssLoaded', 'RSS at 1,000 sockets (MiB)'),
  m('rss', 'rssAfter', 'RSS after everyone left and unload (MiB)'),
  m('rss', 'rssKept', 'RSS after unload minus idle (MiB)'),
  m('rss', 'rssDocumentsLoaded', 'documents still loaded after unload', 0, false),
];

const median = (list: number[]) => {
  const sorted = list.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

function perRound(results: Results, measure: Measure, server: ServerName): number[] {
  return (results.phases[measure.phase]?.[server] ?? []).map((f) => f[measure.key] ?? Number.NaN);
}

function value(results: Results, phase: PhaseName, key: string, server: ServerName): number {
  return median((results.phases[phase]?.[server] ?? []).map((f) => f[key] ?? Number.NaN));
}

/** Prints the medians of every measure that ran, each with the per-round ratios to Nordraum. */
export function printMedians(results: Results) {
  const ran = measures.filter((measure) => results.phases[measure.phase]);
  console.log('\nInterleaved rounds: medians; below each, nordraum / peer per round (median)');
  for (const phase of phaseNames) if (results.loads[phase]) console.log(`  ${phase}: ${results.loads[phase]}`);
  console.log(['measure'.padEnd(52), ...serverNames.map((n) => n.padStart(26))].join(''));
  for (const measure of ran) {
    const medians = serverNames.map((n) => median(perRound(results, measure, n)));
    console.log([measure.label.padEnd(52), ...medians.map((x) => fmt(x, measure.digits).padStart(26))].join(''));
    const own = perRound(results, measure, 'nordraum');
    if (!measure.ratio || own.length === 0) continue;
    const ratios = serverNames.map((n) => {
      if (n === 'nordraum') return '';
      const theirs = perRound(results, measure, n);
      if (theirs.length === 0) return '';
      const each = theirs.map((x, r) => (own[r] ?? Number.NaN) / x);
      return `${each.map((x) => fmt(x, 2)).join('/')} (${fmt(median(each), 2)})`;
    });
    console.log(['  ratio per round'.padEnd(52), ...ratios.map((r) => r.padStart(26))].join(''));
  }
}

interface TargetRow {
  label: string;
  phase: PhaseName;
  key: string;
  digits: number;
  /** The goal as the issue states it; `HP+SQLite` is the Hocuspocus + SQLite configuration compared with. */
  goal: string;
  /** Whether Nordraum / peer means anything (not for counts that should be 0). */
  ratio?: false;
  met(n: number, hp: number, yws: number): boolean;
}

const targets: TargetRow[] = [
  {
    label: 'edits lost on SIGKILL that others had seen',
    phase: 'recovery',
    key: 'seenButLost',
    digits: 0,
    goal: '0',
    ratio: false,
    met: (n) => n === 0,
  },
  {
    label: 'p99 edit-to-remote, 20 docs x 10 clients x 2/s (ms)',
    phase: 'latency',
    key: 'latencyP99',
    digits: 1,
    goal: '<= HP+SQLite + 3 ms',
    met: (n, hp) => n <= hp + 3,
  },
  {
    label: 'CPU per edit, server + its database (us)',
    phase: 'cpu',
    key: 'cpuWithDatabasePerEditUs',
    digits: 0,
    goal: '<= 1.5x HP+SQLite',
    met: (n, hp) => n <= 1.5 * hp,
  },
  {
    label: 'highest sustained edit rate (edits/s)',
    phase: 'capacity',
    key: 'capacityRate',
    digits: 0,
    goal: '>= HP+SQLite',
    met: (n, hp) => n >= hp,
  },
  {
    label: '5 MB document: CPU per edit, + database (us)',
    phase: 'big',
    key: 'bigCpuWithDatabasePerEditUs',
    digits: 0,
    goal: '<= 0.5x HP+SQLite',
    met: (n, hp) => n <= 0.5 * hp,
  },
  {
    label: '5 MB document: p99 edit-to-remote (ms)',
    phase: 'big',
    key: 'bigP99',
    digits: 1,
    goal: '(shown)',
    met: () => true,
  },
  {
    label: '200 joiners in one second: first sync p99 (ms)',
    phase: 'burst',
    key: 'burstP99',
    digits: 1,
    goal: '<= 1.5x HP+SQLite',
    met: (n, hp) => n <= 1.5 * hp,
  },
  {
    label: 'RSS at 1,000 sockets (MiB)',
    phase: 'rss',
    key: 'rssLoaded',
    digits: 1,
    goal: '<= y-websocket',
    met: (n, _hp, yws) => n <= yws,
  },
  {
    label: 'RSS after unload minus idle (MiB)',
    phase: 'rss',
    key: 'rssKept',
    digits: 1,
    goal: '<= 10 MiB',
    met: (n) => n <= 10,
  },
];

/**
 * The Hocuspocus + SQLite configurations a target naming `HP+SQLite` is checked against, each in
 * its own column: the (debounced) and the two that store every edit before sending it.
 */
const hocuspocusPeers = [
  { server: 'hocuspocus-sqlite', column: 'HP+SQLite 2-10 s', met: 'met?' },
  { server: 'hocuspocus-sqlite-each', column: 'HP+SQLite each change', met: 'met? vs each' },
  { server: 'hocuspocus-sqlite-append', column: 'HP+SQLite append', met: 'met? vs append' },
] as const satisfies readonly { server: ServerName; column: string; met: string }[];

/**
 * Prints the target table (medians of rounds); rows of phases not run show '-'. Each Hocuspocus
 * column shows Nordraum / that peer beside its figure, and the target is checked against each.
 */
export function printTargets(results: Results) {
  const rows = targets.map((t) => {
    const of = (server: ServerName) => value(results, t.phase, t.key, server);
    const n = of('nordraum');
    const yws = of('y-websocket-server');
    const verdict = (hp: number) => {
      const needs = t.goal.includes('HP') ? hp : t.goal.includes('y-websocket') ? yws : 0;
      if (Number.isNaN(n) || Number.isNaN(needs)) return '-';
      return t.goal === '(shown)' ? '' : t.met(n, hp, yws) ? 'yes' : 'NO';
    };
    const peers = hocuspocusPeers.map(({ server }) => of(server));
    const withRatio = (peer: number) => {
      const ratio = n / peer;
      return t.ratio === false || Number.isNaN(ratio) || !Number.isFinite(ratio)
        ? fmt(peer, t.digits)
        : `${fmt(peer, t.digits)} (${fmt(ratio, 2)}x)`;
    };
    return [t.label, fmt(n, t.digits), ...peers.map(withRatio), fmt(yws, t.digits), t.goal, ...peers.map(verdict)];
  });
  const header = [
    'measure',
    'Nordraum',
    ...hocuspocusPeers.map((p) => p.column),
    'y-websocket',
    'target',
    ...hocuspocusPeers.map((p) => p.met),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('\nTargets (medians of interleaved rounds; beside each Hocuspocus figure, Nordraum / it)');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}
