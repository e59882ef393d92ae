/**
 * Interleaved rounds (A B C, A B C, ...) of the figures where Nordraum differs from its peers,
 * so the machine's drift cancels out: medians over rounds, per-round ratios to Nordraum, and one
 * table of the issue's targets.
 * `npm run bench:rounds -- [--phases burst,cpu,recovery,latency,capacity,big,rss] [--rounds N]
 *   [--only a,b] [--results file.json] [--joiners J] [--edits E] [--seconds T] [--latency-seconds T]
 *   [--capacity-seconds T] [--big-mb M] [--big-seconds T] [--rss-docs D]`
 *
 * Servers (`--only`, in this order): nordraum; hocuspocus-sqlite (Hocuspocus' defaults: the whole
 * document stored 2-10 s after a change); hocuspocus-sqlite-each (the whole document stored on every
 * change, `debounce: 0`); hocuspocus-sqlite-append (every update appended to a log, the whole
 * document stored 2-10 s after a change); y-websocket-server (stores nothing). The two that store
 * every edit do so before Hocuspocus sends it to the other clients (see bench/sqlite-store.ts).
 *
 * Phases, each on a freshly started server:
 * - burst: J people open one document (with content, unloaded) within one second; first sync p50/p99.
 * - cpu: CPU per edit under a small typing load (4 docs x 5 clients x 2 edits/s for T seconds):
 *   the server's CPU, and for Nordraum also with its PostgreSQL's.
 * - recovery: a writer sends E edits, an observer sees them; the server is SIGKILLed in the middle
 *   and restarted on the same data: edits the observer had seen that are missing now.
 * - latency: p99 edit-to-remote at 20 docs x 10 full clients x 2 edits/s.
 * - capacity: listeners mode (10 sockets a document, 4 of them writers; more documents above 4,000/s),
 *   the clients spread over worker threads; the rate doubles from 1,000 edits/s until p99 passes 50 ms or
 *   an edit is lost (twice in a row), then the gap is halved until within 15 %: the highest sustained rate.
 * - big: a protocol of M MB (a long history) loaded by 20 editors typing 2 edits/s each into it:
 *   CPU per edit (with the database) and p99.
 * - rss: 1,000 sockets (D docs x 1,000/D, 2 writers each, the others listeners): RSS idle (Nordraum's
 *   before and after serving pages: the sign-in page, a room, a roadmap and notes), with the
 *   sockets before the edits, with the sockets after 10 s of edits (the target's figure), and after
 *   everyone left and the documents unloaded.
 *
 * Phases can run one at a time (the benchmark lock is held at most 10 minutes): with
 * `--results file.json` each run adds its phases to the file and the target table shows them all.
 */
import { parseArgs } from 'node:util';
import { stopAll } from './bench/child.ts';
import { runLoad } from './bench/load.ts';
import { startNordraum } from './bench/nordraum.ts';
import { startHocuspocus, startYWebsocketServer } from './bench/peer-targets.ts';
import { rssMiB } from './bench/proc-stats.ts';
import { percentile } from './bench/report.ts';
import { bigDocument, bigProtocol } from './bench/rounds/big-document.ts';
import { startupBurst } from './bench/rounds/burst.ts';
import { capacity, capacityRates, defaultCapacityPlan } from './bench/rounds/capacity.ts';
import { recoveryPoint, restartableNordraum, restartablePeer } from './bench/rounds/recovery.ts';
import {
  type Figures,
  type PhaseName,
  phaseNames,
  printMedians,
  printTargets,
  readResults,
  type ServerName,
  serverNames,
  writeResults,
} from './bench/rounds/table.ts';
import type { Target } from './bench/target.ts';

const { values } = parseArgs({
  options: {
    phases: { type: 'string', default: 'burst,cpu,recovery' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', default: serverNames.join(',') },
    results: { type: 'string' },
    joiners: { type: 'string', default: '200' },
    edits: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '5' },
    'latency-seconds': { type: 'string', default: '20' },
    'capacity-seconds': { type: 'string', default: String(defaultCapacityPlan.seconds) },
    'big-mb': { type: 'string', default: '5' },
    'big-seconds': { type: 'string', default: '20' },
    'rss-docs': { type: 'string', default: '100' },
  },
});
const number = (name: keyof typeof values) => Number(values[name]);
const phases = values.phases!.split(',') as PhaseName[];
const servers = values.only!.split(',') as ServerName[];
const wrong = [...phases.filter((p) => !phaseNames.includes(p)), ...servers.filter((s) => !serverNames.includes(s))];
if (wrong.length > 0) {
  console.error(`unknown phase or server: ${wrong.join(', ')}; phases: ${phaseNames.join(',')}`);
  process.exit(2);
}
const rounds = number('rounds');

const starters: Record<ServerName, () => Promise<Target>> = {
  nordraum: startNordraum,
  'hocuspocus-sqlite': () => startHocuspocus('debounced'),
  'hocuspocus-sqlite-each': () => startHocuspocus('every-change'),
  'hocuspocus-sqlite-append': () => startHocuspocus('append'),
  'y-websocket-server': startYWebsocketServer,
};
const progress = (text: string) => process.stderr.write(`bench-rounds: ${text}\n`);
const perEdit = (cpuSeconds: number, edits: number) => (cpuSeconds / Math.max(1, edits)) * 1e6;
const rssSockets = 1_000;

/** Phases that run against a started target (recovery starts its own servers). */
const targetPhases: Record<Exclude<PhaseName, 'recovery'>, (target: Target) => Promise<Figures>> = {
  async burst(target) {
    const burst = await startupBurst(target, number('joiners'));
    return { burstP50: burst.p50, burstP99: burst.p99, burstFailed: burst.failed };
  },
  async cpu(target) {
    const load = await runLoad(target, {
      docs: 4,
      socketsPerDoc: 5,
      writersPerDoc: 5,
      rate: 2,
      seconds: number('seconds'),
      settle: false,
    });
    return {
      cpuPerEditUs: perEdit(load.serverCpuSeconds, load.sent),
      cpuWithDatabasePerEditUs: perEdit(load.serverCpuSeconds + (load.databaseCpuSeconds ?? 0), load.sent),
    };
  },
  async latency(target) {
    const load = await runLoad(target, {
      docs: 20,
      socketsPerDoc: 10,
      writersPerDoc: 10,
      rate: 2,
      seconds: number('latency-seconds'),
      settle: false,
    });
    return {
      latencyP99: percentile(load.tally.latencies, 99),
      latencyDelivered: (100 * load.tally.delivered) / Math.max(1, load.expected),
      latencyCpuWithDatabasePerEditUs: perEdit(load.serverCpuSeconds + (load.databaseCpuSeconds ?? 0), load.sent),
      latencyGeneratorLag: load.generatorLagP99Ms,
      latencyOtherBusy: load.otherBusyPercent,
    };
  },
  async capacity(target) {
    const plan = { ...defaultCapacityPlan, seconds: number('capacity-seconds') };
    const { sustained, failedRate } = await capacity(target, plan, progress);
    return { capacityRate: sustained, capacityFailedRate: failedRate };
  },
  async big(target) {
    const big = await bigDocument(target, {
      bytes: number('big-mb') * 1_000_000,
      editors: 20,
      seconds: number('big-seconds'),
    });
    return {
      bigStateMiB: big.stateMiB,
      bigCpuPerEditUs: big.cpuPerEditUs,
      bigCpuWithDatabasePerEditUs: big.cpuWithDatabasePerEditUs,
      bigP99: big.p99,
      bigDelivered: big.deliveredPercent,
    };
  },
  async rss(target) {
    const docs = number('rss-docs');
    // Nordraum loads its web app on the first page request: measured before and after pages, and
    // the sockets come once it has served them, as on an operator's instance.
    const rssBeforePages = target.servePages ? rssMiB(target.pid) : undefined;
    await target.servePages?.();
    const load = await runLoad(target, {
      docs,
      socketsPerDoc: Math.floor(rssSockets / docs),
      writersPerDoc: 2,
      rate: 1,
      seconds: 10,
    });
    return {
      rssBeforePages,
      rssIdle: load.rssBeforeMiB,
      rssConnected: load.connectedRssMiB,
      rssLoaded: load.loadedRssMiB,
      rssAfter: load.rssAfterMiB,
      rssKept: load.rssAfterMiB - load.rssBeforeMiB,
      rssDocumentsLoaded: load.documentsLoadedAfter,
    };
  },
};

const loads: Record<PhaseName, () => string> = {
  burst: () => `${number('joiners')} joiners within 1 s on one unloaded document`,
  cpu: () => `4 docs x 5 clients x 2 edits/s for ${number('seconds')} s`,
  recovery: () => `${number('edits')} edits, SIGKILL after half`,
  latency: () => `20 docs x 10 full clients x 2 edits/s for ${number('latency-seconds')} s`,
  capacity: () =>
    `listeners mode, ${defaultCapacityPlan.socketsPerDoc} sockets a doc (${defaultCapacityPlan.writersPerDoc} writers), ` +
    `${defaultCapacityPlan.threads} generator threads, ${number('capacity-seconds')} s a step, ` +
    `search from ${capacityRates(defaultCapacityPlan).join(' to ')} edits/s`,
  big: () => `${number('big-mb')} MB protocol, 20 editors x 2 edits/s for ${number('big-seconds')} s`,
  rss: () =>
    `${rssSockets} sockets: ${number('rss-docs')} docs x ${Math.floor(rssSockets / number('rss-docs'))} (2 writers x 1 edit/s)`,
};

async function runPhase(phase: PhaseName, name: ServerName): Promise<Figures> {
  if (phase === 'recovery') {
    const server = name === 'nordraum' ? restartableNordraum() : restartablePeer(name);
    const recovery = await recoveryPoint(server, number('edits'));
    return { seenAtKill: recovery.seen, seenButLost: recovery.lost };
  }
  const target = await starters[name]();
  try {
    return await targetPhases[phase](target);
  } finally {
    await target.stop();
  }
}

try {
  const results = readResults(values.results);
  for (const phase of phaseNames.filter((p) => phases.includes(p))) {
    // Built before any server starts: seconds on the event loop would let the admin session's idle
    // HTTP connection be closed under the client, failing its next request.
    if (phase === 'big') bigProtocol(number('big-mb') * 1_000_000);
    const byServer: Partial<Record<ServerName, Figures[]>> = Object.fromEntries(servers.map((name) => [name, []]));
    for (let r = 0; r < rounds; r += 1) {
      for (const name of servers) {
        progress(`${phase}, round ${r + 1}/${rounds}: ${name}`);
        byServer[name]!.push(await runPhase(phase, name));
      }
    }
    // Servers run in another invocation of the same phase stay: a slow server can run on its own.
    const kept = Object.keys(results.phases[phase] ?? {}).some((name) => !servers.includes(name as ServerName));
    results.phases[phase] = { ...results.phases[phase], ...byServer };
    const load = `${loads[phase]()}, ${rounds} round(s) of ${servers.join(', ')}`;
    const earlier = results.loads[phase];
    results.loads[phase] = kept && earlier && !earlier.endsWith(load) ? `${earlier}; ${load}` : load;
    writeResults(values.results, results);
  }
  printMedians(results);
  printTargets(results);
} finally {
  await stopAll();
}
process.exit(0);
