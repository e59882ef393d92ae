/**
 * Editing while the search index works: Nordraum as operators start it, on the benchmark's
 * PostgreSQL (which holds the 10,000 seeded documents), with `NORDRAUM_SEARCH_INDEX` on or off.
 * 50 protocols of 2 to 20 KB, 4 stock y-websocket clients on each (200 in all), every client
 * typing a word into a paragraph R times a second: every protocol changes all the time, so the
 * indexer re-reads and re-writes 50 documents over and over. Measured: the edit-to-remote
 * latency of those edits (an `[writer, seq, sentAt]` marker rides in the same transaction as the
 * word), and, when asked, how long a word typed into a protocol takes to be found through
 * `GET /api/search`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import { connectYWebsocket, type SyncClient, webSocketWithHeaders } from './clients.ts';
import { type Edit, newTally, observeEdits } from './edits.ts';
import { api, prepare, spawnNordraum } from './nordraum.ts';
import { cpuSeconds, machineJiffies, treeCpuSeconds } from './proc-stats.ts';
import { lines, protocolBytes, random, word } from './search-corpus.ts';

/** The shape of one typing run. */
export interface TypingPlan {
  databaseUrl: string;
  /** PostgreSQL's data directory (for its CPU time). */
  databaseDir: string;
  indexing: boolean;
  documents: number;
  clientsPerDocument: number;
  rate: number;
  seconds: number;
  /** How many words to look for while typing (0: none). */
  probes: number;
}

/** What one typing run measured; latencies and probe times sorted ascending. */
export interface TypingResult {
  indexing: boolean;
  clients: number;
  sent: number;
  delivered: number;
  expected: number;
  latencies: number[];
  /** Time from typing a new word to `GET /api/search` finding it; Infinity when not within 10 s. */
  foundMs: number[];
  serverCpuSeconds: number;
  databaseCpuSeconds: number;
  otherBusyPercent: number;
}

interface Writer {
  doc: Y.Doc;
  client: SyncClient;
}

/** Types one word at a random place of a random paragraph, with the edit marker, in one transaction. */
function typeWord(doc: Y.Doc, text: string, marker: Edit | null) {
  const fragment = doc.getXmlFragment('default');
  const paragraph = fragment.get(Math.floor(random() * fragment.length)) as Y.XmlElement;
  const content = paragraph.get(0) as Y.XmlText;
  doc.transact(() => {
    content.insert(Math.floor(random() * (content.length + 1)), ` ${text} `);
    if (marker) doc.getArray<Edit>('edits').push([marker]);
  });
}

function fill(doc: Y.Doc) {
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    0,
    lines(protocolBytes()).map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
}

async function until(condition: () => boolean, ms: number, what: string) {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Types a made-up word and asks the API for it until the protocol is among the results. */
async function probe(url: string, cookie: string, doc: Y.Doc, documentId: string): Promise<number> {
  const token = `Quokka${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('')}`;
  typeWord(doc, token, null);
  const typed = performance.now();
  while (performance.now() - typed < 10_000) {
    const response = await fetch(`${url}/api/search?q=${token}`, { headers: { cookie } });
    const body = (await response.json()) as { results: { documentId: string }[] };
    if (body.results.some((result) => result.documentId === documentId)) return performance.now() - typed;
    await sleep(25);
  }
  return Number.POSITIVE_INFINITY;
}

function databasePid(dir: string): number {
  return Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** One run: starts Nordraum, connects and fills, types for `seconds` (probing if asked), stops. */
export async function runTyping(plan: TypingPlan): Promise<TypingResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-typing-'));
  const { child, url } = await spawnNordraum(dataDir, {
    DATABASE_URL: plan.databaseUrl,
    NORDRAUM_SEARCH_INDEX: plan.indexing ? 'on' : 'off',
  });
  const writers: Writer[][] = [];
  try {
    const { cookie, roomId } = await prepare(url);
    const socketClass = webSocketWithHeaders({ cookie, origin: url });
    const ids: string[] = [];
    for (let d = 0; d < plan.documents; d += 1) {
      const response = await api(url, `/api/rooms/${roomId}/documents`, cookie, {
        kind: 'notes',
        title: `Protokoll ${d}`,
      });
      ids.push(((await response.json()) as { document: { id: string } }).document.id);
    }
    const tally = newTally();
    for (const id of ids) {
      const group = Array.from({ length: plan.clientsPerDocument }, () => {
        const doc = new Y.Doc();
        return { doc, client: connectYWebsocket(`${url.replace(/^http/, 'ws')}/sync`, id, doc, socketClass) };
      });
      writers.push(group);
      await Promise.all(group.map((writer) => writer.client.synced));
    }
    for (const group of writers) fill(group[0]!.doc);
    const full = (group: Writer[]) => {
      const length = group[0]!.doc.getXmlFragment('default').length;
      return group.every((writer) => writer.doc.getXmlFragment('default').length === length);
    };
    await until(() => writers.every(full), 60_000, 'every client to hold its protocol');
    // The first indexing of 50 new protocols (or nothing, when off) before the measured phase.
    await sleep(3_000);
    for (const group of writers) for (const writer of group) observeEdits(writer.doc, tally);

    const server0 = cpuSeconds(child.pid);
    const database0 = treeCpuSeconds(databasePid(plan.databaseDir));
    const own0 = process.cpuUsage();
    const machine0 = machineJiffies();
    const started = performance.now();
    const period = 1000 / plan.rate;
    let sent = 0;
    const timers = writers.flat().map(({ doc }, w) => {
      let interval: NodeJS.Timeout | undefined;
      const phase = setTimeout(() => {
        const type = () => typeWord(doc, word(), [w, sent++, performance.now()]);
        type();
        interval = setInterval(type, period);
      }, random() * period);
      return () => {
        clearTimeout(phase);
        clearInterval(interval);
      };
    });
    const foundMs: number[] = [];
    const probing = (async () => {
      for (let p = 0; p < plan.probes; p += 1) {
        await sleep((plan.seconds * 1000) / (plan.probes + 1));
        const d = p % writers.length;
        foundMs.push(await probe(url, cookie, writers[d]![0]!.doc, ids[d]!));
      }
    })();
    await sleep(plan.seconds * 1000);
    for (const stop of timers) stop();
    await probing;
    const expected = sent * (plan.clientsPerDocument - 1);
    const deadline = performance.now() + 10_000;
    while (tally.delivered < expected && performance.now() < deadline) await sleep(20);
    const seconds = (performance.now() - started) / 1000;
    const serverCpuSeconds = cpuSeconds(child.pid) - server0;
    const databaseCpuSeconds = treeCpuSeconds(databasePid(plan.databaseDir)) - database0;
    const own = process.cpuUsage(own0);
    const machine = machineJiffies();
    const busy = (100 * (machine.busy - machine0.busy)) / Math.max(1, machine.total - machine0.total);
    const ours =
      (100 * (serverCpuSeconds + databaseCpuSeconds + (own.user + own.system) / 1e6)) /
      (seconds * availableParallelism());
    tally.latencies.sort((a, b) => a - b);
    foundMs.sort((a, b) => a - b);
    return {
      indexing: plan.indexing,
      clients: writers.flat().length,
      sent,
      delivered: tally.delivered,
      expected,
      latencies: tally.latencies,
      foundMs,
      serverCpuSeconds,
      databaseCpuSeconds,
      otherBusyPercent: Math.max(0, busy - ours),
    };
  } finally {
    for (const { doc, client } of writers.flat()) {
      client.destroy();
      doc.destroy();
    }
    await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
