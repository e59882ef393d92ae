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
 *    versions are named one after the other, in alternating slices (target: no worse than +5 ms);
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
import { connectClient, eventually, type SyncTarget } from '../../tests/helpers/sync.ts';
import { type Edit, startWriter } from './edits.ts';
import { percentile } from './report.ts';

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
 * How long the editors type alone, and as long while versions are named, in all (ms; `--seconds
 * <s>` sets it, default 8).
 */
const TYPING_MS = 1_000 * Number(optionValue('--seconds') ?? 8);
/**
 * Into how many slices each of the two is cut, taken in turns (alone, naming, alone, ...): the
 * shared machine's load drifts over seconds, and one block after the other measured that drift
 * as much as the naming. `--slices <n>`, default 4.
 */
const SLICES = Number(optionValue('--slices') ?? 4);
/** `--editors-only`: only the editors' figures (the protocol is written, the rest is skipped). */
const EDITORS_ONLY = process.argv.includes('--editors-only');

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** One delivered edit: when it was sent and how long it took to reach one other editor. */
interface Delivery {
  sentAt: number;
  latency: number;
}

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

const p99 = (latencies: number[]) =>
  percentile(
    [...latencies].sort((a, b) => a - b),
    99,
  );

/**
 * The p99 edit-to-remote of a document's editors: four connected, two of them typing 10 edits/s
 * each, for `TYPING_MS` while nothing else happens and for as long while `name` runs again and
 * again, `pauseMs` apart, in alternating slices. Returns both p99s, the p99 of the edits sent
 * while a version was being named (request sent, answer not yet read), each slice's p99, and how
 * many versions were named meanwhile.
 */
async function editorsWhileNaming(
  target: SyncTarget,
  documentId: string,
  name: () => Promise<unknown>,
  pauseMs: number,
) {
  const editors = Array.from({ length: 4 }, () => connectClient(target, documentId));
  await Promise.all(editors.map((editor) => editor.synced()));
  const deliveries = { list: [] as Delivery[] };
  for (const editor of editors) observeDeliveries(editor.doc, deliveries);
  const slice = async (alongside: (() => Promise<unknown>) | null) => {
    deliveries.list = [];
    const saves: [number, number][] = [];
    const stops = editors.slice(0, 2).map((editor, writer) => startWriter(editor.doc, writer, 10));
    let running = true;
    const background = (async () => {
      while (running && alongside) {
        const started = performance.now();
        await alongside();
        saves.push([started, performance.now()]);
        if (pauseMs > 0) await new Promise((done) => setTimeout(done, pauseMs));
      }
    })();
    await new Promise((done) => setTimeout(done, TYPING_MS / SLICES));
    running = false;
    const sent = stops.reduce((sum, stop) => sum + stop(), 0);
    await background;
    // Every edit reaches the three other editors.
    await eventually(() => deliveries.list.length >= sent * 3, 30_000);
    const list = deliveries.list;
    const duringSave = list.filter(({ sentAt }) => saves.some(([from, to]) => sentAt >= from && sentAt < to));
    return {
      latencies: list.map(({ latency }) => latency),
      duringSave: duringSave.map(({ latency }) => latency),
      named: saves.length,
    };
  };
  const alone: number[] = [];
  const naming: number[] = [];
  const duringSave: number[] = [];
  const slices: string[] = [];
  let named = 0;
  for (let i = 0; i < SLICES; i += 1) {
    const quiet = (await slice(null)).latencies;
    const result = await slice(name);
    alone.push(...quiet);
    naming.push(...result.latencies);
    duringSave.push(...result.duringSave);
    named += result.named;
    slices.push(`${p99(quiet).toFixed(0)}/${p99(result.latencies).toFixed(0)}`);
  }
  for (const editor of editors) editor.destroy();
  return {
    alone: p99(alone),
    naming: p99(naming),
    duringSave: p99(duringSave),
    duringSaveCount: duringSave.length,
    count: naming.length,
    slices: slices.join(' '),
    named,
  };
}

type EditorFigures = Awaited<ReturnType<typeof editorsWhileNaming>>;

function printEditors(named: number, editors: EditorFigures, backToBack: EditorFigures) {
  console.log(`  naming a version of the loaded 50-page protocol: ${named.toFixed(1)} ms`);
  const delta = (figure: number, alone: number) => {
    const difference = figure - alone;
    return `${difference >= 0 ? '+' : ''}${difference.toFixed(1)} ms`;
  };
  console.log(
    `  p99 edit-to-remote of its editors, typing alone: ${editors.alone.toFixed(1)} ms; while a version was named every second (${editors.named}): ${editors.naming.toFixed(1)} ms (${delta(editors.naming, editors.alone)}, target <= +5 ms)`,
  );
  console.log(
    `    ... typing alone: ${backToBack.alone.toFixed(1)} ms; while ${backToBack.named} versions were named back to back: ${backToBack.naming.toFixed(1)} ms (${delta(backToBack.naming, backToBack.alone)})`,
  );
  for (const [label, figures] of [
    ['every second', editors],
    ['back to back', backToBack],
  ] as const)
    console.log(
      `    ${label}: p99 of the ${figures.duringSaveCount} of ${figures.count} deliveries sent while a version was being named: ${figures.duringSave.toFixed(1)} ms (${delta(figures.duringSave, figures.alone)}); p99 per slice, alone/naming: ${figures.slices}`,
    );
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
    const version = async (documentId: string, name: string) =>
      (await api.post(`/api/documents/${documentId}/versions`, { name })).json.version as { id: string; bytes: number };
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
    progress('four editors typing in the protocol, alone and while versions are named');
    const during = () => version(notesId, 'Während der Sitzung');
    // A person names a version now and then: one a second is already far more than a meeting
    // does. Back to back (as fast as the server answers) is the worst case, printed too.
    const editors = await editorsWhileNaming(target, notesId, during, 1_000);
    const editorsBackToBack = await editorsWhileNaming(target, notesId, during, 0);
    if (EDITORS_ONLY) {
      console.log(`Document history, the protocol's editors only (${TYPING_MS / 1000} s each in ${SLICES} slices):`);
      printEditors(named, editors, editorsBackToBack);
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
    printEditors(named, editors, editorsBackToBack);
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
