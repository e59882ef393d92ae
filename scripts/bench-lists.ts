/**
 * Roadmap and action list figures in a real browser: `node scripts/bench-lists.ts`.
 *
 * On a fresh Nordraum (embedded PostgreSQL, temporary DATA_DIR) and Debian's Chromium, with a
 * roadmap of 200 milestones and an action list of 1,000 actions seeded through the stock
 * y-websocket client:
 * 1. render time, by the page's own clock from navigation start: to every bar of the roadmap; to
 *    the action list shown (its table counts all 1,000 actions and the rows built fill the
 *    window: a list that long builds only the rows near the window, see RowWindow); cold (new
 *    browser context: no cache, no IndexedDB copy) and warm (reload), median of 5 each. The
 *    first view comes rendered from the server; cold, also the time until the browser has taken
 *    it over (synced, editable). Also the time from jumping to the end of the action list to its
 *    last row shown;
 * 2. remote edit latency: ~50 edits made from Node through y-websocket (a milestone title, the
 *    status of one of the first twenty actions), each timed from just before the edit to the
 *    moment a MutationObserver in the page sees the new text; p50 and p95.
 * Targets: render under 500 ms; remote edit p95 under 100 ms.
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ActionStatus, actionListOf, roadmapOf } from '@nordraum/domain';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser.ts';
import { startNordraumProcess } from '../tests/helpers/process.ts';
import { connectClient, type SyncClient } from '../tests/helpers/sync.ts';

const MILESTONES = 200;
const ACTIONS = 1_000;
const EDITS = 50;
// Five, not three: on a busy 2-core machine single loads vary by ±100 ms, and the first load of a
// browser is often the slowest by far.
const RUNS = 5;
const admin = { email: 'admin@bench.example', password: 'Benchmark-Passwort 2026' };
const editor = { email: 'erika.editor@sh.example', password: 'Benchmark-Passwort 2026' };
const root = fileURLToPath(new URL('..', import.meta.url));

const progress = (text: string) => process.stderr.write(`bench-lists: ${text}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

/** JSON over fetch with one cookie, enough to set up a room and its documents. */
function apiClient(base: string) {
  let cookie = '';
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const session = response.headers.getSetCookie().find((line) => line.startsWith('nordraum_session='));
    if (session) cookie = session.split(';')[0]!;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as any;
  };
  return Object.assign(request, { cookie: () => cookie });
}

const themes = ['theme-data-fabric', 'theme-it-resilienz', 'theme-open-source', 'theme-once-only', 'theme-ki'];
const day = (offset: number) => new Date(Date.UTC(2027, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

/** A room with an editor, a roadmap of 200 milestones and an action list of 1,000 actions. */
async function setUp(base: string) {
  const api = apiClient(base);
  await api('POST', '/api/auth/login', admin);
  const { organizations } = await api('GET', '/api/organizations');
  const sh = organizations.find((o: { code: string }) => o.code === 'SH');
  const { user } = await api('POST', '/api/admin/users', { ...editor, name: 'Erika Editor', organizationId: sh.id });
  const { room } = await api('POST', '/api/rooms', { name: 'Benchmark-Raum' });
  await api('PUT', `/api/rooms/${room.id}/members/${user.id}`, { role: 'editor' });
  const create = async (kind: string, title: string) =>
    (await api('POST', `/api/rooms/${room.id}/documents`, { kind, title })).document.id as string;
  const roadmapId = await create('roadmap', 'Benchmark-Roadmap');
  const listId = await create('actions', 'Benchmark-Maßnahmen');

  const target = { url: base, origin: base, cookie: api.cookie() };
  const roadmapClient = connectClient(target, roadmapId);
  const listClient = connectClient(target, listId);
  await Promise.all([roadmapClient.synced(), listClient.synced()]);
  const roadmap = roadmapOf(roadmapClient.doc);
  const milestoneIds: string[] = [];
  roadmapClient.doc.transact(() => {
    roadmap.initialise();
    for (let i = 0; i < MILESTONES; i += 1) {
      const start = (i * 37) % 700;
      milestoneIds.push(
        roadmap.addMilestone({
          themeId: themes[i % themes.length]!,
          title: `Meilenstein ${i + 1}`,
          start: day(start),
          end: day(start + 14 + (i % 60)),
          lead: ['SH', 'MV', 'joint'][i % 3]!,
        }),
      );
    }
  });
  const list = actionListOf(listClient.doc);
  const itemIds: string[] = [];
  listClient.doc.transact(() => {
    for (let i = 0; i < ACTIONS; i += 1) {
      itemIds.push(
        list.addItem({
          title: `Maßnahme ${i + 1}`,
          ownerId: i % 4 === 0 ? user.id : null,
          organization: i % 2 ? 'SH' : 'MV',
          due: day(i % 500),
          order: i + 1,
          roadmapId: i % 5 === 0 ? roadmapId : null,
          milestoneId: i % 5 === 0 ? milestoneIds[i % MILESTONES]! : null,
        }),
      );
    }
  });
  return { roadmapId, listId, roadmapClient, listClient, milestoneIds, itemIds };
}

/**
 * Navigation start to `count` elements matching `selector` shown, in ms, by the page's clock.
 * Timed at the animation frame after the one in which they are first there: by then that frame
 * has been laid out and painted. (A page rendered on the server brings the whole page to its first
 * frame, and laying all of it out takes a while.)
 */
async function renderedAfter(page: Page, selector: string, count: number): Promise<number> {
  const handle = await page.waitForFunction(
    ({ selector, count }) => {
      const state = window as unknown as { shownInFrame?: boolean };
      if (state.shownInFrame) return performance.now();
      state.shownInFrame = document.querySelectorAll(selector).length >= count;
      return false;
    },
    { selector, count },
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Navigation start to the action list shown, in ms: the table counts all `count` actions and its
 * rows fill the window. A list that long builds only the rows near the window (RowWindow); the
 * rest follow as one scrolls, which `lastRowAfterJump` times.
 */
async function listShownAfter(page: Page, count: number): Promise<number> {
  const handle = await page.waitForFunction(
    (count) => {
      // A frame later, as in renderedAfter.
      const state = window as unknown as { shownInFrame?: boolean };
      if (state.shownInFrame) return performance.now();
      const table = document.querySelector('table.action-table');
      const rows = table?.querySelectorAll('tr[data-item-id]') ?? [];
      const last = rows[rows.length - 1];
      if (!table || !last) return false;
      const counted = Number(table.getAttribute('aria-rowcount')) === count + 1;
      state.shownInFrame = rows.length >= count || (counted && last.getBoundingClientRect().bottom >= innerHeight);
      return false;
    },
    count,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** From a jump to the end of the page to the last action shown, in ms. */
async function lastRowAfterJump(page: Page, count: number): Promise<number> {
  const start = await page.evaluate(() => {
    // Instant: the page scrolls smoothly otherwise, and that would time the animation.
    scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
    return performance.now();
  });
  const handle = await page.waitForFunction(
    (count) => document.querySelector(`tr[data-item-id][aria-rowindex="${count + 1}"]`) && performance.now(),
    count,
    { polling: 'raf', timeout: 10_000 },
  );
  return ((await handle.jsonValue()) as number) - start;
}

/**
 * Navigation start to the view taken over by the browser, in ms: synced with the server and no
 * longer inert. A view rendered on the server shows before that, but takes no input until then.
 */
async function editableAfter(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () =>
      document.querySelector('[data-status="synced"]') &&
      !document.querySelector('section[inert]') &&
      performance.now(),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function renderTimes(browser: Browser, base: string, path: string, shown: (page: Page) => Promise<number>) {
  const cold: number[] = [];
  const editable: number[] = [];
  const warm: number[] = [];
  // One untimed load first: the server's first rendering of a page after its start loads and
  // compiles that page's code (some 450 ms here), which no later visitor waits for.
  const warmUp = await browser.newContext();
  await warmUp.request.post(`${base}/api/auth/login`, { data: editor });
  await (await warmUp.request.get(base + path)).body();
  await warmUp.close();
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.request.post(`${base}/api/auth/login`, { data: editor });
    // Timed from the response on, not from the 'load' event: a page rendered on the server shows
    // its content before its scripts have loaded, and 'load' waits for them.
    await page.goto(base + path, { waitUntil: 'commit' });
    cold.push(await shown(page));
    editable.push(await editableAfter(page));
    await page.evaluate(() => navigator.serviceWorker?.ready);
    await page.reload({ waitUntil: 'commit' });
    warm.push(await shown(page));
    await context.close();
  }
  return { cold, editable, warm };
}

/**
 * Times remote edits: for each, the page starts watching for `expected` in `selector`, Node makes
 * the edit, and the page reports the wall-clock time it saw the text (same machine, same clock).
 */
async function editLatencies(page: Page, edits: { selector: string; expected: string; apply: () => void }[]) {
  const latencies: number[] = [];
  for (const edit of edits) {
    await page.evaluate(
      ({ selector, expected }) => {
        const seen = () => (document.querySelector(selector)?.textContent ?? '').includes(expected);
        (window as any).__seen = new Promise<number>((resolve, reject) => {
          // An edit that never shows is a failure, not a hang.
          setTimeout(() => reject(new Error(`never saw ${expected} in ${selector}`)), 5_000);
          const observer = new MutationObserver(() => {
            if (!seen()) return;
            observer.disconnect();
            resolve(Date.now());
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
      },
      { selector: edit.selector, expected: edit.expected },
    );
    const sentAt = Date.now();
    edit.apply();
    const seenAt = (await page.evaluate(() => (window as any).__seen)) as number;
    latencies.push(seenAt - sentAt);
    await new Promise((done) => setTimeout(done, 40));
  }
  return latencies;
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building failed');

  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-lists-'));
  const server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
  });
  const browser = await launchChromium();
  let clients: SyncClient[] = [];
  try {
    progress(`seeding ${MILESTONES} milestones and ${ACTIONS} actions`);
    const seeded = await setUp(server.url);
    clients = [seeded.roadmapClient, seeded.listClient];
    const roadmapPath = `/documents/${seeded.roadmapId}`;
    const listPath = `/documents/${seeded.listId}`;

    progress('timing roadmap renders');
    const roadmapRender = await renderTimes(browser, server.url, roadmapPath, (page) =>
      renderedAfter(page, 'g[data-milestone-id]', MILESTONES),
    );
    progress(
      `roadmap: cold ${roadmapRender.cold.map(Math.round).join(', ')}; warm ${roadmapRender.warm.map(Math.round).join(', ')} ms`,
    );
    progress('timing action list renders');
    const listRender = await renderTimes(browser, server.url, listPath, (page) => listShownAfter(page, ACTIONS));
    progress(
      `action list: cold ${listRender.cold.map(Math.round).join(', ')}; warm ${listRender.warm.map(Math.round).join(', ')} ms`,
    );

    progress(`timing ${EDITS} remote edits on each`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.request.post(`${server.url}/api/auth/login`, { data: editor });
    await page.goto(server.url + roadmapPath);
    await renderedAfter(page, 'g[data-milestone-id]', MILESTONES);
    await editableAfter(page);
    const roadmap = roadmapOf(seeded.roadmapClient.doc);
    page.on('crash', () => progress('the page crashed'));
    const roadmapEdits = await editLatencies(
      page,
      Array.from({ length: EDITS }, (_, n) => {
        const id = seeded.milestoneIds[(n * 7) % MILESTONES]!;
        return {
          selector: `g[data-milestone-id="${id}"] text`,
          expected: `Fernänderung ${n}`,
          apply: () => roadmap.updateMilestone(id, { title: `Fernänderung ${n}` }),
        };
      }),
    );
    progress(`roadmap edits: p95 ${percentile(roadmapEdits, 95)} ms`);
    await page.goto(server.url + listPath);
    await listShownAfter(page, ACTIONS);
    await editableAfter(page);
    const list = actionListOf(seeded.listClient.doc);
    // Edits to the first twenty actions, the ones built at the top of the list: each one flips
    // the status between two values that differ from the one shown, so each edit shows.
    const inView = (
      await page.$$eval('tr[data-item-id]', (rows) => rows.map((row) => row.getAttribute('data-item-id')!))
    ).slice(0, 20);
    const lastStatus = new Map<string, ActionStatus>();
    const labels: Record<ActionStatus, string> = {
      open: 'offen',
      in_progress: 'in Bearbeitung',
      blocked: 'blockiert',
      done: 'erledigt',
    };
    const listEdits = await editLatencies(
      page,
      Array.from({ length: EDITS }, (_, n) => {
        const id = inView[(n * 7) % inView.length]!;
        const status: ActionStatus = lastStatus.get(id) === 'in_progress' ? 'blocked' : 'in_progress';
        lastStatus.set(id, status);
        return {
          selector: `#a-${id}-status`,
          expected: labels[status],
          apply: () => list.updateItem(id, { status }),
        };
      }),
    );
    progress(`action list edits, in order: ${listEdits.join(', ')} ms`);
    const jumps: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.evaluate(() => scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForTimeout(200);
      jumps.push(await lastRowAfterJump(page, ACTIONS));
    }
    await context.close();

    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const verdict = (value: number, limit: number) => (value < limit ? 'ok' : 'MISSED');
    const rows: string[][] = [
      [
        `roadmap, ${MILESTONES} bars, cold (median of ${RUNS})`,
        ms(median(roadmapRender.cold)),
        '< 500 ms',
        verdict(median(roadmapRender.cold), 500),
      ],
      [`roadmap, cold: until editable (median of ${RUNS})`, ms(median(roadmapRender.editable)), '-', ''],
      [
        `roadmap, ${MILESTONES} bars, warm reload (median of ${RUNS})`,
        ms(median(roadmapRender.warm)),
        '< 500 ms',
        verdict(median(roadmapRender.warm), 500),
      ],
      [
        `action list, ${ACTIONS} rows, cold (median of ${RUNS})`,
        ms(median(listRender.cold)),
        '< 500 ms',
        verdict(median(listRender.cold), 500),
      ],
      [`action list, cold: until editable (median of ${RUNS})`, ms(median(listRender.editable)), '-', ''],
      [
        `action list, ${ACTIONS} rows, warm reload (median of ${RUNS})`,
        ms(median(listRender.warm)),
        '< 500 ms',
        verdict(median(listRender.warm), 500),
      ],
      [`action list, jump to the end: last row (median of ${RUNS})`, ms(median(jumps)), '-', ''],
      [`roadmap remote edit, p50 of ${EDITS}`, ms(percentile(roadmapEdits, 50)), '-', ''],
      [
        `roadmap remote edit, p95 of ${EDITS}`,
        ms(percentile(roadmapEdits, 95)),
        '< 100 ms',
        verdict(percentile(roadmapEdits, 95), 100),
      ],
      [`action list remote edit, p50 of ${EDITS}`, ms(percentile(listEdits, 50)), '-', ''],
      [
        `action list remote edit, p95 of ${EDITS}`,
        ms(percentile(listEdits, 95)),
        '< 100 ms',
        verdict(percentile(listEdits, 95), 100),
      ],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 6));
    const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i]!)).join('  ');
    console.log(`\n${line(['measure', 'value', 'target', 'result'])}`);
    console.log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) console.log(line(row));
    const listRuns = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
    console.log(
      `\nroadmap runs: cold ${listRuns(roadmapRender.cold)}; warm ${listRuns(roadmapRender.warm)} ms` +
        `\naction list runs: cold ${listRuns(listRender.cold)}; warm ${listRuns(listRender.warm)} ms`,
    );
  } finally {
    for (const client of clients) client.destroy();
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
// The stock y-websocket clients and Playwright can leave handles behind after closing; the figures
// are printed, so do not wait for them (the process used to sit there until killed).
process.exit(0);
