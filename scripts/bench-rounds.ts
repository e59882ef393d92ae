/**
 * Interleaved rounds (A B C, A B C, ...) of the figures where Nordraum differs from its peers,
 * so the machine's drift cancels out: medians over rounds and per-round ratios to Nordraum.
 * `npm run bench:rounds -- [--rounds N] [--joiners J] [--edits E] [--seconds T] [--only a,b]`
 *
 * Per round and server:
 * 1. Start-up burst: J people open one document (with content, unloaded) within one second;
 *    time to first sync p50/p99.
 * 2. CPU per edit under a small typing load (4 docs x 5 clients x 2 edits/s for T seconds):
 *    the server's CPU, and for Nordraum also with its PostgreSQL's.
 * 3. Recovery point: a writer sends E edits, an observer sees them; the server is SIGKILLed in
 *    the middle and restarted on the same data: edits the observer had seen that are missing now.
 *    The clients are destroyed at the kill, so they cannot send the lost edits again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type Child, spawnNode, stopAll, waitForOutput } from './bench/child.ts';
import { connectHocuspocus, connectYWebsocket, type SyncClient, webSocketWithHeaders } from './bench/clients.ts';
import { runLoad } from './bench/load.ts';
import { api, prepare, spawnNordraum, startNordraum } from './bench/nordraum.ts';
import { startHocuspocus, startYWebsocketServer } from './bench/peer-targets.ts';
import { percentile } from './bench/report.ts';
import type { Target } from './bench/target.ts';

process.setMaxListeners(0);
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    joiners: { type: 'string', default: '200' },
    edits: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string', default: 'nordraum,hocuspocus-sqlite,y-websocket-server' },
  },
});
const rounds = Number(values.rounds);
const joiners = Number(values.joiners);
const edits = Number(values.edits);
const seconds = Number(values.seconds);
type Name = 'nordraum' | 'hocuspocus-sqlite' | 'y-websocket-server';
const servers = values.only!.split(',') as Name[];

const starters: Record<Name, () => Promise<Target>> = {
  nordraum: startNordraum,
  'hocuspocus-sqlite': () => startHocuspocus(true),
  'y-websocket-server': startYWebsocketServer,
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const progress = (text: string) => process.stderr.write(`bench-rounds: ${text}\n`);

/** One round's figures of one server. */
interface RoundFigures {
  burstP50: number;
  burstP99: number;
  burstFailed: number;
  cpuPerEditUs: number;
  cpuWithDatabasePerEditUs: number | undefined;
  seenButLost: number | undefined;
  seenAtKill: number | undefined;
}

/** J joiners within one second on a document with content that is not loaded. */
async function startupBurst(target: Target) {
  const [name] = await target.createDocuments(1);
  const seed = new Y.Doc();
  const writer = target.client(name!, seed);
  await writer.synced;
  for (let i = 0; i < 100; i += 1) seed.getText('notes').insert(0, `Punkt ${i} der Tagesordnung. `);
  await sleep(1_000);
  writer.destroy();
  await sleep(target.unloadWaitMs);
  const clients: SyncClient[] = [];
  const times: number[] = [];
  for (let i = 0; i < joiners; i += 1) {
    const client = target.client(name!, new Y.Doc());
    clients.push(client);
    void client.synced.then((ms) => times.push(ms));
    await sleep(1_000 / joiners);
  }
  const deadline = performance.now() + 30_000;
  while (times.length < joiners && performance.now() < deadline) await sleep(20);
  for (const client of clients) client.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), failed: joiners - times.length };
}

/** A server that can be killed and started again on the same data, with a document on it. */
interface Restartable {
  start(): Promise<{ child: Child; client(doc: Y.Doc): SyncClient }>;
  cleanup(): Promise<void>;
}

function restartableNordraum(): Restartable {
  let dataDir: string | undefined;
  let documentId: string | undefined;
  return {
    async start() {
      dataDir ??= await mkdtemp(join(tmpdir(), 'nordraum-bench-rp-'));
      const { child, url } = await spawnNordraum(dataDir);
      const { cookie, roomId } = await prepare(url);
      if (!documentId) {
        const created = await api(url, `/api/rooms/${roomId}/documents`, cookie, { kind: 'notes', title: 'RPO' });
        documentId = ((await created.json()) as { document: { id: string } }).document.id;
      }
      const socketClass = webSocketWithHeaders({ cookie, origin: url });
      const base = `${url.replace(/^http/, 'ws')}/sync`;
      return { child, client: (doc) => connectYWebsocket(base, documentId!, doc, socketClass) };
    },
    cleanup: async () => {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function restartablePeer(name: 'hocuspocus-sqlite' | 'y-websocket-server'): Restartable {
  let dir: string | undefined;
  return {
    async start() {
      dir ??= await mkdtemp(join(tmpdir(), 'nordraum-bench-rp-peer-'));
      const args =
        name === 'hocuspocus-sqlite'
          ? ['scripts/bench/hocuspocus-child.ts', join(dir, 'documents.sqlite')]
          : ['scripts/bench/y-websocket-server-child.ts'];
      const child = spawnNode(args, { PATH: process.env.PATH });
      const port = await waitForOutput(child, /\{"port":(\d+)\}/, 30_000);
      const client = (doc: Y.Doc) =>
        name === 'hocuspocus-sqlite'
          ? connectHocuspocus(`ws://127.0.0.1:${port}`, 'rpo', doc)
          : connectYWebsocket(`ws://127.0.0.1:${port}`, 'rpo', doc, WebSocket);
      return { child, client };
    },
    cleanup: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Edits seen by another client before a SIGKILL that are missing after the restart. */
async function recoveryPoint(server: Restartable) {
  try {
    const first = await server.start();
    const writerDoc = new Y.Doc();
    const observerDoc = new Y.Doc();
    const writer = first.client(writerDoc);
    const observer = first.client(observerDoc);
    await Promise.all([writer.synced, observer.synced]);
    let seen: number[] = [];
    for (let i = 0; i < edits; i += 1) {
      writerDoc.getArray<number>('burst').push([i]);
      if (i % 10 === 9) await sleep(5);
      if (i === Math.floor(edits / 2)) {
        await sleep(20);
        seen = observerDoc.getArray<number>('burst').toArray();
        first.child.process.kill('SIGKILL');
        writer.destroy();
        observer.destroy();
        break;
      }
    }
    await first.child.stop();
    const second = await server.start();
    const readerDoc = new Y.Doc();
    const reader = second.client(readerDoc);
    await reader.synced;
    await sleep(200);
    const stored = new Set(readerDoc.getArray<number>('burst').toArray());
    reader.destroy();
    await second.child.stop();
    return { seen: seen.length, lost: seen.filter((edit) => !stored.has(edit)).length };
  } finally {
    await server.cleanup();
  }
}

async function round(name: Name): Promise<RoundFigures> {
  const target = await starters[name]();
  let burst: Awaited<ReturnType<typeof startupBurst>>;
  let load: Awaited<ReturnType<typeof runLoad>>;
  try {
    burst = await startupBurst(target);
    load = await runLoad(target, { docs: 4, socketsPerDoc: 5, writersPerDoc: 5, rate: 2, seconds });
  } finally {
    await target.stop();
  }
  const recovery = await recoveryPoint(name === 'nordraum' ? restartableNordraum() : restartablePeer(name));
  const perEdit = (cpu: number) => (cpu / Math.max(1, load.sent)) * 1e6;
  return {
    burstP50: burst.p50,
    burstP99: burst.p99,
    burstFailed: burst.failed,
    cpuPerEditUs: perEdit(load.serverCpuSeconds),
    cpuWithDatabasePerEditUs:
      load.databaseCpuSeconds === undefined ? undefined : perEdit(load.serverCpuSeconds + load.databaseCpuSeconds),
    seenButLost: recovery.lost,
    seenAtKill: recovery.seen,
  };
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

function print(results: Map<Name, RoundFigures[]>) {
  // label, value, digits, whether a ratio means anything
  const measures: [string, (f: RoundFigures) => number | undefined, number, boolean][] = [
    [`start-up burst first sync p50 (ms, ${joiners} in 1 s)`, (f) => f.burstP50, 1, true],
    [`start-up burst first sync p99 (ms, ${joiners} in 1 s)`, (f) => f.burstP99, 1, true],
    ['start-up burst joiners not synced in 30 s', (f) => f.burstFailed, 0, false],
    ['server CPU per edit (us)', (f) => f.cpuPerEditUs, 0, true],
    ['server + its database CPU per edit (us)', (f) => f.cpuWithDatabasePerEditUs ?? f.cpuPerEditUs, 0, true],
    ['edits the observer had seen at the SIGKILL', (f) => f.seenAtKill, 0, false],
    ['  of those, missing after the restart', (f) => f.seenButLost, 0, false],
  ];
  const names = [...results.keys()];
  console.log(`\nInterleaved rounds: ${rounds} x (${names.join(', ')}); medians, then per-round ratio to nordraum`);
  const header = ['measure'.padEnd(58), ...names.map((n) => n.padStart(20))].join('');
  console.log(header);
  for (const [label, value, digits, ratio] of measures) {
    const medians = names.map((n) => median(results.get(n)!.map((f) => value(f) ?? Number.NaN)));
    console.log([label.padEnd(58), ...medians.map((m) => fmt(m, digits).padStart(20))].join(''));
    const own = results.get('nordraum');
    if (!own || !ratio) continue;
    const ratios = names.map((n) => {
      if (n === 'nordraum') return '';
      const perRound = results.get(n)!.map((f, r) => (value(own[r]!) ?? Number.NaN) / (value(f) ?? Number.NaN));
      return `${perRound.map((x) => fmt(x, 2)).join('/')} (med ${fmt(median(perRound), 2)})`;
    });
    console.log(['  nordraum / peer, per round'.padEnd(58), ...ratios.map((r) => r.padStart(20))].join(''));
  }
}

try {
  const results = new Map<Name, RoundFigures[]>(servers.map((name) => [name, []]));
  for (let r = 0; r < rounds; r += 1) {
    for (const name of servers) {
      progress(`round ${r + 1}/${rounds}: ${name}`);
      results.get(name)!.push(await round(name));
    }
  }
  print(results);
} finally {
  await stopAll();
}
process.exit(0);
