/**
 * A protocol with many comment threads in a real browser: `node scripts/bench-comment-markers.ts
 * [--threads N]` (`npm run bench:comment-markers`; builds first).
 *
 * On a fresh Nordraum (embedded PostgreSQL, temporary DATA_DIR) and Debian's Chromium: two
 * protocols of the same 500 paragraphs (written through the stock y-websocket client), one
 * without comments, one with N threads (default 500), each on a passage of its own paragraph.
 * Timed by the page's clock from navigation start to the frame after the one in which the whole
 * text is shown, and for the second also every thread's marker in the margin and its card in the
 * panel: median of 5 cold openings (new browser context) each. Target: the threads add under 300 ms.
 * In a list of more than 30 threads, a card is first its summary (author, organisation, date, the
 * first comment's words, the number of comments, and the button that opens it) and is drawn with
 * its controls when it comes near the view or is opened; either is the thread's card here.
 * `--profile FILE` writes the page's CPU profile of the last opening with threads (for DevTools).
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { ApiClient } from '../tests/helpers/app.ts';
import { launchChromium } from '../tests/helpers/browser.ts';
import { passageAnchor } from '../tests/helpers/comments.ts';
import { startNordraumProcess } from '../tests/helpers/process.ts';
import { connectClient, eventually } from '../tests/helpers/sync.ts';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '500' }, profile: { type: 'string' } },
});
const THREADS = Number(values.threads);
const PARAGRAPHS = Math.max(500, THREADS);
const RUNS = 5;
const TARGET_MS = 300;
const password = 'Benchmark-Passwort 2026';
const admin = { email: 'admin@bench.example', password };
const root = fileURLToPath(new URL('..', import.meta.url));

const progress = (text: string) => process.stderr.write(`bench-comment-markers: ${text}\n`);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const line = (i: number) =>
  `Absatz ${i + 1}: Die Arbeitsgruppe bespricht die Registermodernisierung und hält die Ergebnisse fest.`;

async function ok(response: Promise<{ status: number; json: any; text: string }>, what: string) {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.json;
}

/** A protocol of PARAGRAPHS paragraphs, with `threads` threads on passages of it; its id. */
async function protocol(base: string, api: ApiClient, roomId: string, title: string, threads: number) {
  const { document } = await ok(api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title }), 'protocol');
  const client = connectClient({ url: base, origin: base, cookie: api.cookie }, document.id);
  await client.synced();
  const fragment = client.doc.getXmlFragment('default');
  client.doc.transact(() => {
    fragment.insert(
      0,
      Array.from({ length: PARAGRAPHS }, (_, i) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(line(i))]);
        return paragraph;
      }),
    );
  });
  const held = async () => {
    const response = await fetch(`${base}/api/documents/${document.id}/state`, {
      headers: { cookie: api.cookie ?? '' },
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
    return doc.getXmlFragment('default').length === PARAGRAPHS;
  };
  if (!(await eventually(held, 30_000))) throw new Error('the paragraphs did not arrive');
  for (let i = 0; i < threads; i += 1) {
    const anchor = passageAnchor(client.doc, i, 'Registermodernisierung');
    await ok(
      api.post(`/api/documents/${document.id}/threads`, { body: `Frage ${i + 1} zu diesem Absatz`, anchor }),
      'thread',
    );
  }
  client.destroy();
  return document.id as string;
}

/** When each part was first seen in a frame: the text, the margin's markers, the panel's cards. */
interface Shown {
  text: number;
  markers: number;
  cards: number;
}

/**
 * Navigation start to the frame after the text (and `markers` markers and cards) are shown, in ms;
 * also when the text, the markers and the cards each were first complete (where the time goes).
 */
async function shownAfter(page: Page, markers: number): Promise<{ ms: number; parts: Shown }> {
  const handle = await page.waitForFunction(
    ({ paragraphs, markers }) => {
      const state = window as unknown as { shownInFrame?: boolean; parts?: Partial<Shown> };
      state.parts ??= {};
      const parts = state.parts;
      if (state.shownInFrame) return { ms: performance.now(), parts };
      const now = performance.now();
      if (parts.text === undefined && document.querySelectorAll('.ProseMirror > p').length >= paragraphs)
        parts.text = now;
      if (parts.markers === undefined && document.querySelectorAll('.comment-marker').length >= markers)
        parts.markers = now;
      if (parts.cards === undefined && document.querySelectorAll('[id^="thread-"]').length >= markers)
        parts.cards = now;
      state.shownInFrame = parts.text !== undefined && parts.markers !== undefined && parts.cards !== undefined;
      return false;
    },
    { paragraphs: PARAGRAPHS, markers },
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as { ms: number; parts: Shown };
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building failed');
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-comment-markers-'));
  const server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
    // The threads are all the admin's, written as fast as the server takes them.
    NORDRAUM_COMMENTS_PER_MINUTE: '100000',
    NORDRAUM_COMMENTS_PER_HOUR: '100000',
  });
  const browser = await launchChromium();
  try {
    const api = new ApiClient(server.url);
    await api.login(admin.email, admin.password);
    const { room } = await ok(api.post('/api/rooms', { name: 'Benchmark-Kommentare' }), 'room');
    progress(`seeding two protocols of ${PARAGRAPHS} paragraphs, one with ${THREADS} threads`);
    const plain = await protocol(server.url, api, room.id, 'Ohne Kommentare', 0);
    const commented = await protocol(server.url, api, room.id, 'Mit Kommentaren', THREADS);
    const open = async (documentId: string, markers: number) => {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.request.post(`${server.url}/api/auth/login`, { data: admin });
      const profiling = values.profile && markers > 0 && parts.length === RUNS - 1;
      const cdp = profiling ? await context.newCDPSession(page) : null;
      await cdp?.send('Profiler.enable');
      await cdp?.send('Profiler.start');
      await page.goto(`${server.url}/documents/${documentId}`);
      const shown = await shownAfter(page, markers);
      if (cdp) await writeFile(values.profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      await context.close();
      if (markers > 0) parts.push(shown.parts);
      return shown.ms;
    };
    const parts: Shown[] = [];
    const without: number[] = [];
    const withThreads: number[] = [];
    // Alternating, so that the machine's drift falls on both alike.
    for (let run = 0; run < RUNS; run += 1) {
      without.push(await open(plain, 0));
      withThreads.push(await open(commented, THREADS));
    }
    const added = median(withThreads) - median(without);
    console.log(`\nA protocol of ${PARAGRAPHS} paragraphs opened cold in Chromium (median of ${RUNS})`);
    console.log(`without comments                         ${median(without).toFixed(0)} ms`);
    console.log(`with ${THREADS} threads, markers and cards shown   ${median(withThreads).toFixed(0)} ms`);
    console.log(
      `the threads add                          ${added.toFixed(0)} ms (target < ${TARGET_MS} ms: ${added < TARGET_MS ? 'met' : 'missed'})`,
    );
    const part = (key: keyof Shown) => median(parts.map((entry) => entry[key])).toFixed(0);
    console.log(
      `with threads, first complete: text ${part('text')} ms, markers ${part('markers')} ms, cards ${part('cards')} ms`,
    );
    const runs = (list: number[]) => list.map((value) => value.toFixed(0)).join(', ');
    console.log(`runs: without ${runs(without)}; with ${runs(withThreads)} ms`);
  } finally {
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
// The stock y-websocket client and Playwright can leave handles behind; the figures are printed.
process.exit(0);
