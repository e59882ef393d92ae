/** The targets for Nordraum, each checked against this run's figures: PASS, FAIL or n/a. */
import { percentile, printTable, type ServerResults } from './report.ts';

/** Allowed RSS growth after unload over the RSS before the load, for measurement noise. */
export const baselineToleranceMiB = 10;

interface Check {
  target: string;
  nordraum: string;
  reference: string;
  pass: boolean | undefined;
}

const fmt = (n: number | undefined, unit: string) =>
  n === undefined || Number.isNaN(n) ? '-' : `${n.toFixed(n < 10 ? 2 : 1)} ${unit}`;

function latencyCheck(n: ServerResults, byName: Map<string, ServerResults>): Check {
  const mine = n.full ? percentile(n.full.tally.latencies, 99) : undefined;
  const peers = ['hocuspocus', 'hocuspocus-sqlite']
    .map((name) => byName.get(name)?.full)
    .filter((r) => r !== undefined)
    .map((r) => percentile(r.tally.latencies, 99));
  const best = peers.length > 0 ? Math.min(...peers) : undefined;
  return {
    target: 'p99 latency <= Hocuspocus p99 (lower of its runs) and <= 10 ms',
    nordraum: fmt(mine, 'ms'),
    reference: fmt(best, 'ms'),
    pass: mine === undefined ? undefined : mine <= 10 && (best === undefined ? undefined : mine <= best),
  };
}

function cpuCheck(n: ServerResults, byName: Map<string, ServerResults>): Check {
  const mine = n.full?.serverCpuSeconds;
  const theirs = byName.get('y-websocket-server')?.full?.serverCpuSeconds;
  return {
    target: 'server CPU <= 1.3x @y/websocket-server (Node process; PostgreSQL shown apart)',
    nordraum: fmt(mine, 's'),
    reference: theirs === undefined ? '-' : `1.3 x ${fmt(theirs, 's')}`,
    pass: mine === undefined || theirs === undefined ? undefined : mine <= 1.3 * theirs,
  };
}

function deliveryCheck(n: ServerResults): Check {
  const phases = [n.full, n.listeners].filter((r) => r !== undefined);
  const complete = phases.every((r) => r.tally.delivered >= r.expected && r.convergedDocs === r.docs);
  return {
    target: '100 % delivered and every document converged (all load phases)',
    nordraum:
      phases
        .map(
          (r) => `${((100 * r.tally.delivered) / Math.max(1, r.expected)).toFixed(1)} %, ${r.convergedDocs}/${r.docs}`,
        )
        .join('; ') || '-',
    reference: '100 %',
    pass: phases.length === 0 ? undefined : complete,
  };
}

function socketsRssCheck(n: ServerResults, byName: Map<string, ServerResults>): Check {
  const mine = n.listeners?.loadedRssMiB;
  const theirs = byName.get('y-websocket-server')?.listeners?.loadedRssMiB;
  return {
    target: `RSS with ${n.listeners?.sockets ?? 1000} sockets (listeners mode) <= @y/websocket-server`,
    nordraum: fmt(mine, 'MiB'),
    reference: fmt(theirs, 'MiB'),
    pass: mine === undefined || theirs === undefined ? undefined : mine <= theirs,
  };
}

function coldCheck(n: ServerResults): Check {
  const median = n.cold ? percentile(n.cold.later, 50) : undefined;
  return {
    target: `cold load of a ${n.cold?.updates ?? 10_000}-update document after compaction (median) <= 20 ms`,
    nordraum: fmt(median, 'ms'),
    reference: '20 ms',
    pass: median === undefined || Number.isNaN(median) ? undefined : median <= 20 && n.cold!.failed === 0,
  };
}

function baselineCheck(n: ServerResults): Check {
  const r = n.full;
  return {
    target: `RSS after unload <= RSS before load + ${baselineToleranceMiB} MiB`,
    nordraum: r ? `${fmt(r.rssAfterMiB, 'MiB')}` : '-',
    reference: r ? `${fmt(r.rssBeforeMiB, 'MiB')} + ${baselineToleranceMiB}` : '-',
    pass: r ? r.rssAfterMiB <= r.rssBeforeMiB + baselineToleranceMiB : undefined,
  };
}

/**
 * Puts the baseline target in context: a Node process rarely hands heap it grew into back to the
 * system, so the peers' RSS kept after their clients left is printed beside Nordraum's.
 */
function printKeptNote(results: ServerResults[]): void {
  const kept = results
    .filter((r) => r.full)
    .map((r) => `${r.name} ${(r.full!.rssAfterMiB - r.full!.rssBeforeMiB).toFixed(1)} MiB`);
  const loaded = results.find((r) => r.name === 'nordraum')?.full?.documentsLoadedAfter;
  if (kept.length > 0) console.log(`\n  RSS kept after unload (full-client load): ${kept.join(', ')}`);
  if (loaded !== undefined) console.log(`  Nordraum documents still loaded after unload (/metrics): ${loaded}`);
}

/**
 * Puts the CPU target in context: under this load a server's CPU follows how often it is woken,
 * and every commit's answer from PostgreSQL can wake Nordraum once more, which the in-memory
 * peers never wait for.
 */
function printCpuNote(results: ServerResults[]): void {
  const woken = results
    .filter((r) => r.full)
    .map((r) => `${r.name} ${(r.full!.serverWakeups / Math.max(1, r.full!.sent)).toFixed(2)}`);
  const full = results.find((r) => r.name === 'nordraum')?.full;
  if (woken.length > 0) console.log(`  Server wakeups per edit typed (full-client load): ${woken.join(', ')}`);
  if (full?.commits !== undefined)
    console.log(`  Nordraum database commits per edit typed: ${(full.commits / Math.max(1, full.sent)).toFixed(2)}`);
}

/** Prints the target table; returns false if any target failed. */
export function printTargets(results: ServerResults[]): boolean {
  const n = results.find((r) => r.name === 'nordraum');
  if (!n) return true;
  const byName = new Map(results.map((r) => [r.name, r]));
  const checks = [
    latencyCheck(n, byName),
    cpuCheck(n, byName),
    deliveryCheck(n),
    socketsRssCheck(n, byName),
    coldCheck(n),
    baselineCheck(n),
  ];
  const verdict = (pass: boolean | undefined) => (pass === undefined ? 'n/a' : pass ? 'PASS' : 'FAIL');
  printTable(
    'Nordraum targets',
    ['target', 'nordraum', 'reference', 'result'],
    checks.map((c) => [c.target, c.nordraum, c.reference, verdict(c.pass)]),
  );
  printKeptNote(results);
  printCpuNote(results);
  return checks.every((c) => c.pass !== false);
}
