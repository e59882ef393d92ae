/**
 * Document history figures: `node scripts/bench/history.ts` (after `node scripts/build.ts`).
 *
 * On a fresh Nordraum process (embedded PostgreSQL, temporary DATA_DIR), through the HTTP API as
 * the web app calls it, median of 5 each (the listing: of 21, with the server's own time):
 * 1. listing 1,000 versions of one document (target under 50 ms);
 * 2. comparing two versions of a 50-page protocol (about 150,000 characters, 50 paragraphs
 *    changed between them) and of an action list of 1,000 actions (100 changed), target under
 *    300 ms each;
 * 3. naming a version of the loaded 50-page protocol (the request's time), and what it costs the
 *    protocol's other editors: the p99 edit-to-remote of four editors typing, alone and while
 *    versions are named at a fixed rate, in alternating slices (target: no worse than +5 ms; see
 *    naming-load.ts), and the CPU per version named;
 * 4. the storage a day of automatic versions of that protocol costs, at one version per quiet
 *    period of a busy day (every 10 minutes over 8 hours: 48).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionListOf } from '@nordraum/domain';
import * as Y from 'yjs';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import { ApiClient } from '../../tests/helpers/app.ts';
import { startNordraumProcess } from '../../tests/helpers/process.ts';
import { connectClient, eventually } from '../../tests/helpers/sync.ts';
import { cpuPerVersion, editorsWhileNaming, type NamingFigures, printNaming } from './naming-load.ts';

const RUNS = 5;
const admin = { email: 'admin@bench.example', password: 'Benchmark-Passwort 2026' };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const progress = (text: string) => process.stderr.write(`bench-history: ${text}\n`);

/** The median of `RUNS` runs, and the first run's time on its own. */
async function timedRuns(run: () => Promise<unknown>): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { first: times[0]!, median: median(times) };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  return (await timedRuns(run)).median;
}

/** How often the list of 1,000 versions is read: one slow answer on a shared machine is noise. */
const LISTINGS = 21;

/**
 * Reading the list of 1,000 versions as the web app does (the body read and parsed): the median
 * and slowest of `LISTINGS`, and the same of the server's own time (its Server-Timing header:
 * access check and query), which the machine's other load touches less than the round trip.
 */
async function listingFigures(url: string, cookie: string, documentId: string) {
  const total: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < LISTINGS; i += 1) {
    const started = performance.now();
    const response = await fetch(`${url}/api/documents/${documentId}/versions`, { headers: { cookie } });
    const { versions } = (await response.json()) as { versions: unknown[] };
    total.push(performance.now() - started);
    if (versions.length !== 1_000) throw new Error(`listed ${versions.length} versions, not 1,000`);
    server.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN));
  }
  return {
    median: median(total),
    slowest: Math.max(...total),
    server: median(server),
    serverSlowest: Math.max(...server),
  };
}

/** A comparison's figures: the first (its versions decoded) and the median of all (kept readings). */
const comparison = ({ first, median }: { first: number; median: number }) =>
  `${median.toFixed(1)} ms (target < 300 ms; the first, decoding both versions: ${first.toFixed(1)} ms)`;

/** A paragraph of about 300 characters, different per index. */
const paragraph = (index: number, variant = '') =>
  `Absatz ${index}${variant}: Die Arbeitsgruppe aus Schleswig-Holstein und Mecklenburg-Vorpommern bespricht die Maßnahmen des Handlungsfelds, die Meilensteine der Roadmap und die nächsten Schritte bis zum Lenkungskreis; Zuständigkeiten, Termine und offene Fragen werden festgehalten. `;

/**
 * Versions named per second while the editors type (`--rates 1,20`): as a person would, and a
 * stress rate; `--rates 0` skips the editors' figures.
 */
const RATES = (optionValue('--rates') ?? '1,20')
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
/** Seconds the editors type alone, and as long while naming, per rate (`--seconds <s>`, default 60). */
const TYPING_MS = 1_000 * Number(optionValue('--seconds') ?? 60);
/**
 * Into how many pairs of slices (alone, naming) that time is cut, taken in turns: the shared
 * machine's load drifts over seconds (`--slices <n>`, default 12: 5 s slices).
 */
const SLICES = Number(optionValue('--slices') ?? 12);
/** `--editors-only`: only the editors' figures and the CPU per version (the rest is skipped). */
const EDITORS_ONLY = process.argv.includes('--editors-only');
/** Versions named back to back for the CPU per version (`--cpu-versions <n>`, default 200; 0 skips it). */
const CPU_VERSIONS = Number(optionValue('--cpu-versions') ?? 200);

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-history-'));
  const server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
  });
  try {
    const api = new ApiClient(server.url);
    await api.login(admin.email, admin.password);
    const target = { url: server.url, origin: server.url, cookie: api.cookie };
    const roomId = (await api.post('/api/rooms', { name: 'Bench Historie' })).json.room.id as string;
    const create = async (kind: string, title: string) =>
      (await api.post(`/api/rooms/${roomId}/documents`, { kind, title })).json.document.id as string;
    const version = async (documentId: string, name: string) => {
      const response = await api.post(`/api/documents/${documentId}/versions`, { name });
      if (response.status !== 201) throw new Error(`naming a version answered ${response.status}`);
      return response.json.version as { id: string; bytes: number };
    };
    const settled = async (documentId: string, doc: Y.Doc) => {
      const want = Y.encodeStateVector(doc);
      await eventually(async () => {
        // A poll refused while the server is busy is asked again.
        const response = await fetch(`${server.url}/api/documents/${documentId}/state`, {
          headers: { cookie: api.cookie ?? '' },
        }).catch(() => undefined);
        if (!response?.ok) return false;
        const state = new Uint8Array(await response.arrayBuffer());
        await new Promise((done) => setTimeout(done, 200));
        return Buffer.from(Y.encodeStateVectorFromUpdate(state)).equals(Buffer.from(want));
      }, 120_000);
    };

    progress('a 50-page protocol (500 paragraphs of about 300 characters)');
    const notesId = await create('notes', 'Protokoll 50 Seiten');
    const notes = connectClient(target, notesId);
    await notes.synced();
    const lines = Array.from({ length: 500 }, (_, index) => paragraph(index));
    writeParagraphs(notes.doc, lines);
    await settled(notesId, notes.doc);
    const named = await timed(() => version(notesId, 'Vorher'));
    const during = () => version(notesId, 'Während der Sitzung');
    const editors: NamingFigures[] = [];
    for (const rate of RATES) {
      progress(`four editors typing in the protocol, alone and while ${rate} version(s) a second are named`);
      const load = { rate, pairs: SLICES, sliceMs: TYPING_MS / SLICES };
      editors.push(await editorsWhileNaming(target, notesId, during, load));
    }
    const printEditors = async () => {
      console.log(`  naming a version of the loaded 50-page protocol: ${named.toFixed(1)} ms (median of ${RUNS})`);
      for (const figures of editors) printNaming(figures);
      if (CPU_VERSIONS > 0) await cpuPerVersion(server.child.pid!, during, CPU_VERSIONS);
    };
    if (EDITORS_ONLY) {
      console.log("Document history, the protocol's editors only:");
      await printEditors();
      return;
    }
    const before = await version(notesId, 'Vorher');
    writeParagraphs(
      notes.doc,
      lines.map((line, index) => (index % 10 === 0 ? paragraph(index, ' (geändert)') : line)),
    );
    await settled(notesId, notes.doc);
    const after = await version(notesId, 'Nachher');
    const notesCompare = await timedRuns(() =>
      api.get(`/api/documents/${notesId}/versions/${before.id}/changes?against=${after.id}`),
    );
    notes.destroy();

    progress('an action list of 1,000 actions');
    const listId = await create('actions', 'Maßnahmen 1.000');
    const list = connectClient(target, listId);
    await list.synced();
    const actions = actionListOf(list.doc);
    const ids = Array.from({ length: 1_000 }, (_, index) =>
      actions.addItem({ title: `Maßnahme ${index}`, due: '2027-03-01', organization: index % 2 ? 'SH' : 'MV' }),
    );
    await settled(listId, list.doc);
    const listBefore = await version(listId, 'Vorher');
    ids.forEach((id, index) => {
      if (index % 10 === 0) actions.updateItem(id, { due: '2027-06-30', status: 'in_progress' });
    });
    await settled(listId, list.doc);
    const listAfter = await version(listId, 'Nachher');
    const listCompare = await timedRuns(() =>
      api.get(`/api/documents/${listId}/versions/${listBefore.id}/changes?against=${listAfter.id}`),
    );
    list.destroy();

    progress('1,000 versions of one document');
    const manyId = await create('notes', 'Viele Versionen');
    for (let i = 0; i < 1_000; i += 1) await version(manyId, `Stand ${i}`);
    const listing = await listingFigures(server.url, api.cookie ?? '', manyId);

    const day = 48 * before.bytes;
    console.log('Document history (through the HTTP API; median of 5 unless said):');
    console.log(
      `  listing 1,000 versions:                         ${listing.median.toFixed(1)} ms (target < 50 ms; median of ${LISTINGS}, slowest ${listing.slowest.toFixed(1)} ms; in the server: median ${listing.server.toFixed(1)} ms, slowest ${listing.serverSlowest.toFixed(1)} ms)`,
    );
    console.log(`  comparing two versions, 50-page protocol:       ${comparison(notesCompare)}`);
    console.log(`  comparing two versions, 1,000 actions:          ${comparison(listCompare)}`);
    await printEditors();
    console.log(
      `  a busy day of automatic versions of that protocol: 48 x ${(before.bytes / 1024).toFixed(0)} KiB = ${(day / 1024 / 1024).toFixed(1)} MiB`,
    );
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
// The stock y-websocket clients can leave handles behind; the figures are printed.
process.exit(0);
