// Shared set-up for the web-*.test.ts browser tests: a real Nordraum process with a temporary
// data directory, an admin API client, and small page helpers that act like a person would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoomRole } from '@nordraum/domain';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ApiClient, adoptStartPassword } from '../helpers/app.ts';
import { launchChromium, screenshot, seriousViolations } from '../helpers/browser.ts';
import { type NordraumProcess, startNordraumProcess } from '../helpers/process.ts';
import { connectClient, type SyncClient } from '../helpers/sync.ts';

export const admin = { email: 'admin@dataport.example', password: 'Administrationspasswort' };

/** A running server, its admin API client and a browser, torn down by `close()`. */
export interface WebFixture {
  server: NordraumProcess;
  browser: Browser;
  api: ApiClient;
  /** Organisation ids by code (SH, MV, NI, DATAPORT, DVZ, ITN). */
  orgs: Record<string, string>;
  url(path: string): string;
  /** Creates an active user through the admin API and returns their id. */
  createUser(user: { email: string; name: string; org: string; password: string }): Promise<string>;
  close(): Promise<void>;
}

/** Starts Nordraum (own data directory) and Chromium. */
export async function startWeb(env: Record<string, string> = {}): Promise<WebFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-web-'));
  const server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
    ...env,
  });
  const api = new ApiClient(server.url);
  await api.login(admin.email, admin.password);
  const orgs: Record<string, string> = {};
  for (const org of (await api.get('/api/organizations')).json.organizations) orgs[org.code] = org.id;
  const browser = await launchChromium();
  return {
    server,
    browser,
    api,
    orgs,
    url: (path) => `${server.url}${path}`,
    async createUser({ email, name, org, password }) {
      const response = await api.post('/api/admin/users', { email, name, password, organizationId: orgs[org] });
      if (response.status !== 201) throw new Error(`creating ${email} failed: ${response.status} ${response.text}`);
      await adoptStartPassword(server.url, email, password);
      return response.json.user.id;
    },
    async close() {
      await browser.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A room with a roadmap and an action list, each with the admin's sync client connected and synced. */
export interface RoomWithLists {
  roomId: string;
  roadmapId: string;
  listId: string;
  roadmap: SyncClient;
  list: SyncClient;
}

/** Creates a room with `members` (user id → role), a roadmap and an action list, and syncs a client on each. */
export async function roomWithLists(
  fixture: WebFixture,
  titles: { room: string; roadmap: string; list: string },
  members: Record<string, RoomRole>,
): Promise<RoomWithLists> {
  const { api } = fixture;
  const roomId: string = (await api.post('/api/rooms', { name: titles.room })).json.room.id;
  for (const [userId, role] of Object.entries(members))
    await api.put(`/api/rooms/${roomId}/members/${userId}`, { role });
  const create = async (kind: string, title: string) =>
    (await api.post(`/api/rooms/${roomId}/documents`, { kind, title })).json.document.id as string;
  const roadmapId = await create('roadmap', titles.roadmap);
  const listId = await create('actions', titles.list);
  const target = { url: fixture.server.url, origin: fixture.server.url, cookie: api.cookie };
  const roadmap = connectClient(target, roadmapId);
  const list = connectClient(target, listId);
  await Promise.all([roadmap.synced(), list.synced()]);
  return { roomId, roadmapId, listId, roadmap, list };
}

/** A fresh browser context (own cookies and storage) with one page. */
export async function freshPage(fixture: WebFixture): Promise<Page> {
  const context = await fixture.browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  // Fail with the missing element's name rather than at the test's overall timeout.
  page.setDefaultTimeout(10_000);
  return page;
}

/**
 * A fresh page signed in as `person` (through the API, not the form) on the document
 * `documentId`, once its content is connected and synced.
 */
export async function openDocumentAs(
  fixture: WebFixture,
  person: { email: string; password: string },
  documentId: string,
): Promise<Page> {
  const page = await freshPage(fixture);
  const signedIn = await page.request.post(fixture.url('/api/auth/login'), { data: person });
  expect(signedIn.status()).toBe(200);
  await page.goto(fixture.url(`/documents/${documentId}`));
  await untilLive(page);
  return page;
}

/**
 * Waits until the browser has taken over the document page (connected and synced). A roadmap or
 * an action list shows before that, rendered on the server, but takes no input yet.
 */
export async function untilLive(page: Page) {
  // A locator's wait, not expect.poll: it also serves in beforeAll.
  await page.locator('[data-status="synced"]').waitFor({ timeout: 15_000 });
}

/** Signs in through the login form and waits until the app has left /login. */
export async function login(fixture: WebFixture, page: Page, email: string, password: string, next = '/rooms') {
  await page.goto(fixture.url(`/login?next=${encodeURIComponent(next)}`));
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Waits for the page's single h1 to read `text`. */
export async function expectHeading(page: Page, text: string | RegExp) {
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).allTextContents())
    .toEqual([expect.stringMatching(typeof text === 'string' ? new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) : text)]);
}

/** No serious axe-core violations, and a screenshot for people to look at. */
export async function checkPage(page: Page, name: string) {
  // Loading spinners appear after 400 ms; wait until none is left so axe sees the real page.
  await expect.poll(() => page.locator('.kern-loader').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** Whether the service worker keeps the page at its address for offline reloads. */
export function keptOffline(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    for (const key of await caches.keys()) {
      if (key.endsWith('-pages') && (await (await caches.open(key)).match(location.href))) return true;
    }
    return false;
  });
}

/** Waits until the service worker keeps the page as it is now for offline reloads. */
export async function waitUntilKeptOffline(page: Page) {
  await expect.poll(() => keptOffline(page), { timeout: 15_000 }).toBe(true);
}

/** Presses Tab until `target` has focus (at most `max` times); fails otherwise. */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

/**
 * The accessible name of a row action such as "Umbenennen: Protokoll": the object is visually
 * hidden text, and Chromium puts a space before the hidden part.
 */
export function action(verb: string, object: string): RegExp {
  return new RegExp(`^${escapeRegExp(verb)}\\s*:\\s*${escapeRegExp(object)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Selects `text` inside the notes with the mouse's means: a DOM range the editor takes over. */
export async function selectText(page: Page, text: string) {
  await page.locator('.ProseMirror').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`no ${wanted}`);
  }, text);
  await page.locator('.ProseMirror').dispatchEvent('mouseup');
}

/**
 * `person` signed in, in a Chromium of their own (on `documentId` when given), as in real life:
 * one browser holds at most six connections to a host over HTTP/1.1, and every open document tab
 * keeps two event streams. `done()` closes that browser.
 */
export async function personInBrowser(
  fixture: WebFixture,
  person: { email: string; password: string },
  documentId?: string,
) {
  const browser = await launchChromium();
  const own = { ...fixture, browser };
  const page = documentId ? await openDocumentAs(own, person, documentId) : await freshPage(own);
  page.on('pageerror', (error) => console.error('page error', error.message));
  if (!documentId) await page.request.post(fixture.url('/api/auth/login'), { data: person });
  return Object.assign(page, { done: () => browser.close() });
}
