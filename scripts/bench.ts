/**
 * Performance figures, printed as tables: `npm run bench` (flags: `npm run bench -- --help`).
 *
 * 1. Startup: Nordraum as operators start it (`node apps/server/src/main.ts`) on a fresh embedded
 *    PostgreSQL, spawn to /readyz 200, on the first start (cluster created, migrations applied)
 *    and on the following starts (data reused).
 * 2. Realtime sync: Nordraum, @y/websocket-server and @hocuspocus/server (in memory and on SQLite),
 *    each in its own child process, under the same load from this one process: N documents x M
 *    full Yjs clients typing R edits/s for T seconds; then "listeners" mode (a few writers per
 *    document, the other sockets raw listeners) to measure fan-out at ~1,000 sockets; then the
 *    cold load of a document with a 10,000-update log. Nordraum's figures are also printed as
 *    ratios to the others', and checked against the issue's targets.
 * 3. The roadmap (200 milestones) and action list (1,000 actions) pages in Chromium: render time
 *    and remote-edit latency, by scripts/bench-lists.ts; the review page of such a roadmap with its
 *    comparison, by scripts/bench-reviews.ts (`--no-lists` skips both).
 * 4. Search, by scripts/bench-search.ts (`--no-search`); the document history (listing, comparing
 *    and naming versions, the storage of a day of automatic versions), by scripts/bench/history.ts
 *    (`--no-history`).
 * 5. Comments: a comment reaching 50 open live channels (scripts/bench-comments.ts), the daily
 *    reminder job over 10,000 actions (scripts/bench-reminders.ts), and a protocol with 500
 *    threads opened in Chromium (scripts/bench-comment-markers.ts, skipped with `--no-lists`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopAll } from './bench/child.ts';
import { runColdLoad } from './bench/cold-load.ts';
import { type LoadPlan, runLoad } from './bench/load.ts';
import { benchStartup, startNordraum } from './bench/nordraum.ts';
import { type Options, parseOptions, type ServerName } from './bench/options.ts';
import { startHocuspocus, startYWebsocketServer } from './bench/peer-targets.ts';
import { printColdLoad, printLegend, printLoad, type ServerResults } from './bench/report.ts';
import type { Target } from './bench/target.ts';
import { printTargets } from './bench/targets.ts';

const options = parseOptions(process.argv.slice(2));
// A hung server must not hang the benchmark: stop everything after a generous bound.
const watchdog = setTimeout(
  () => {
    console.error('bench: time limit reached, stopping');
    void stopAll().finally(() => process.exit(1));
  },
  options.quick ? 5 * 60_000 : 30 * 60_000,
);
watchdog.unref();

const starters: Record<ServerName, () => Promise<Target>> = {
  nordraum: startNordraum,
  'y-websocket-server': startYWebsocketServer,
  hocuspocus: () => startHocuspocus('memory'),
  'hocuspocus-sqlite': () => startHocuspocus('debounced'),
};

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

function plans(o: Options): { full?: LoadPlan; listeners?: LoadPlan } {
  const base = { docs: o.docs, rate: o.rate, seconds: o.seconds };
  return {
    full: o.mode === 'listeners' ? undefined : { ...base, socketsPerDoc: o.clients, writersPerDoc: o.clients },
    listeners:
      o.mode === 'full'
        ? undefined
        : { ...base, socketsPerDoc: Math.floor(o.sockets / o.docs), writersPerDoc: o.writers },
  };
}

/** Runs every phase against one server; a failure is recorded and the next server still runs. */
async function benchServer(name: ServerName, o: Options): Promise<ServerResults> {
  progress(`${name}: starting`);
  const target = await starters[name]();
  const results: ServerResults = { name, persistence: target.persistence };
  try {
    const { full, listeners } = plans(o);
    if (full) {
      progress(`${name}: full clients, ${full.docs} docs x ${full.socketsPerDoc} clients, ${full.seconds} s`);
      results.full = await runLoad(target, full);
    }
    if (listeners) {
      progress(`${name}: listeners, ${listeners.docs * listeners.socketsPerDoc} sockets, ${listeners.seconds} s`);
      results.listeners = await runLoad(target, listeners);
    }
    if (target.unloads && target.persistence === 'memory') {
      results.coldNote = 'n/a: unload drops it';
    } else {
      progress(`${name}: cold load of a ${o.updates}-update document`);
      results.cold = await runColdLoad(target, o.updates, o.loads);
    }
  } catch (error) {
    results.error = error instanceof Error ? error.message : String(error);
    progress(`${name}: failed: ${results.error}`);
  } finally {
    await target.stop();
  }
  return results;
}

async function main(): Promise<void> {
  if (options.startup && options.only.includes('nordraum')) await benchStartup(options.restarts);
  const results: ServerResults[] = [];
  for (const name of options.only) {
    try {
      results.push(await benchServer(name, options));
    } catch (error) {
      progress(`${name}: could not start: ${error instanceof Error ? error.message : error}`);
    }
  }
  const { docs, clients, rate, seconds } = options;
  const { full, listeners } = plans(options);
  printLegend();
  if (full)
    printLoad(
      `Realtime sync, full Yjs clients: ${docs} docs x ${clients} clients x ${rate} edits/s for ${seconds} s`,
      results,
      'full',
    );
  if (listeners) {
    printLoad(
      `Realtime sync, listeners mode: ${docs} docs x ${listeners.socketsPerDoc} sockets (${listeners.writersPerDoc} Yjs writers each) x ${rate} edits/s for ${seconds} s`,
      results,
      'listeners',
    );
  }
  printColdLoad(
    `Cold load (connect until synced with every edit; ${options.loads} loads, unloaded in between)`,
    results,
  );
  printTargets(results);
  for (const r of results.filter((r) => r.error)) console.log(`\n${r.name} failed: ${r.error}`);
  if (options.lists)
    await benchScript('bench-lists', 'Roadmap (200 milestones) and action list (1,000 actions) in Chromium');
  if (options.lists) await benchScript('bench-reviews', 'Review page of a 200-milestone roadmap in Chromium');
  if (options.search)
    await benchScript(
      'bench-search',
      'Search',
      options.quick ? ['--documents', '2000', '--seconds', '5', '--pairs', '1', '--probes', '3'] : [],
    );
  if (options.search)
    await benchScript('bench-decisions', 'Decision register', options.quick ? ['--decisions', '500'] : []);
  if (options.history) await benchScript('bench/history', 'Document history', [], 'bench:history');
  await benchScript('bench-comments', 'Comments reaching open live channels');
  await benchScript('bench-reminders', 'Daily reminder job');
  if (options.lists) await benchScript('bench-comment-markers', 'A protocol with 500 comment threads in Chromium');
}

/** A part with its own script, which prints its own table (the browser pages, search). */
async function benchScript(
  name: string,
  heading: string,
  args: string[] = [],
  script = name.replace('-', ':'),
): Promise<void> {
  progress(`${heading} (scripts/${name}.ts)`);
  console.log(`\n${heading}`);
  const child = spawn(process.execPath, [fileURLToPath(new URL(`${name}.ts`, import.meta.url)), ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) {
    console.log(`${name} exited with ${code}; run \`npm run ${script}\` alone to see why`);
    process.exitCode = 1;
  }
}

try {
  await main();
} finally {
  await stopAll();
  clearTimeout(watchdog);
}
// Clients of a failed phase may still be retrying their connections: end here, not when they give up.
process.exit(process.exitCode ?? 0);
