/**
 * Web figures, printed as a table: `node scripts/bench-web.ts`.
 *
 * On a fresh Nordraum (embedded PostgreSQL, temporary DATA_DIR) and Debian's Chromium:
 * 1. the gzip size of all JavaScript a browser loads for the room list (`/rooms`) and for a notes
 *    document (`/documents/<id>`): every `.js` response body, gzipped here with node:zlib;
 * 2. the time from navigation to an editable, synced notes document (median of 5), cold (new
 *    browser context: no HTTP cache, service worker or IndexedDB) and warm (reload).
 * Targets: room page JS <= 150 KB gzip; notes page editable within 1 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser.ts';
import { startNordraumProcess } from '../tests/helpers/process.ts';

const RUNS = 5;
const admin = { email: 'admin@bench.example', password: 'Benchmark-Passwort 2026' };
const editor = { email: 'erika.editor@sh.example', password: 'Benchmark-Passwort 2026' };
const root = fileURLToPath(new URL('..', import.meta.url));

/** JSON over fetch with one cookie, enough to set up a room and a document. */
function apiClient(base: string) {
  let cookie = '';
  return async (method: string, path: string, body?: unknown) => {
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
}

async function setUp(base: string): Promise<string> {
  const api = apiClient(base);
  await api('POST', '/api/auth/login', admin);
  const { organizations } = await api('GET', '/api/organizations');
  const sh = organizations.find((o: { code: string }) => o.code === 'SH');
  const { user } = await api('POST', '/api/admin/users', { ...editor, name: 'Erika Editor', organizationId: sh.id });
  const { room } = await api('POST', '/api/rooms', { name: 'Benchmark-Raum' });
  await api('PUT', `/api/rooms/${room.id}/members/${user.id}`, { role: 'editor' });
  const { document } = await api('POST', `/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Benchmark' });
  return document.id;
}

/** A new signed-in page in its own context; collects the gzip size of every script it loads. */
async function signedInPage(browser: Browser, base: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const login = await page.request.post(`${base}/api/auth/login`, { data: editor });
  if (login.status() !== 200) throw new Error(`login failed: ${login.status()}`);
  const scripts = new Map<string, number>();
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.endsWith('.js')) return;
    void response.body().then(
      (body) => scripts.set(response.url(), gzipSync(body).length),
      () => undefined,
    );
  });
  return { context, page, scripts };
}

/** Navigation start to editable and synced, in ms, measured by the page's own clock. */
async function editableAfter(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () =>
      document.querySelector('.ProseMirror[contenteditable="true"]') &&
      document.querySelector('[data-status="synced"]') &&
      performance.now(),
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function scriptBytes(browser: Browser, base: string, path: string, until: (page: Page) => Promise<unknown>) {
  const { context, page, scripts } = await signedInPage(browser, base);
  await page.goto(base + path);
  await until(page);
  await page.waitForLoadState('networkidle');
  // Bodies are read asynchronously after each response.
  await new Promise((done) => setTimeout(done, 200));
  await context.close();
  return { bytes: [...scripts.values()].reduce((sum, size) => sum + size, 0), files: scripts.size };
}

const progress = (text: string) => process.stderr.write(`bench-web: ${text}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the web app or the server bundle failed');

  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-web-'));
  const server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
  });
  const browser = await launchChromium();
  try {
    progress('setting up a room and a notes document');
    const documentId = await setUp(server.url);
    progress('measuring script sizes');
    const notesPath = `/documents/${documentId}`;
    const rooms = await scriptBytes(browser, server.url, '/rooms', (page) =>
      page.getByRole('heading', { level: 1 }).waitFor(),
    );
    const notes = await scriptBytes(browser, server.url, notesPath, editableAfter);

    progress(`timing ${RUNS} cold and warm loads`);
    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const { context, page } = await signedInPage(browser, server.url);
      await page.goto(server.url + notesPath);
      cold.push(await editableAfter(page));
      // Give the service worker time to cache the app before the warm reload.
      await page.evaluate(() => navigator.serviceWorker?.ready);
      await page.reload();
      warm.push(await editableAfter(page));
      await context.close();
    }

    const rows: [string, string, string, string][] = [
      ['room page JS (/rooms), gzip', kb(rooms.bytes), '<= 150 KB', rooms.bytes <= 150 * 1024 ? 'ok' : 'MISSED'],
      ['notes page JS, gzip', kb(notes.bytes), '-', `${notes.files} files`],
      [
        `notes editable + synced, cold (median of ${RUNS})`,
        `${median(cold).toFixed(0)} ms`,
        '<= 1000 ms',
        median(cold) <= 1000 ? 'ok' : 'MISSED',
      ],
      [`notes editable + synced, warm reload (median of ${RUNS})`, `${median(warm).toFixed(0)} ms`, '-', ''],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 6));
    const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i]!)).join('  ');
    console.log(`\n${line(['measure', 'value', 'target', 'result'])}`);
    console.log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) console.log(line(row));
    console.log(
      `\ncold runs: ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms; warm: ${warm.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
  } finally {
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
