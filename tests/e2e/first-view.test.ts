// The first view of a roadmap or an action list comes rendered from the server: it shows before any
// script runs, in the reader's language, only to people who may read it, and the browser then
// takes it over (the same rows, nothing sent back) and edits live.
import { actionListOf, roadmapOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncClient, untilCommitted } from '../helpers/sync.ts';
import {
  checkPage,
  freshPage,
  keptOffline,
  openDocumentAs,
  roomWithLists,
  startWeb,
  untilLive,
  type WebFixture,
  waitUntilKeptOffline,
} from './web-support.ts';

const password = 'Erste-Ansicht-Passwort 2026';
const people = {
  editor: { email: 'ella.ehlers@sh.example', name: 'Ella Ehlers', org: 'SH', password },
  english: { email: 'ewan.evans@mv.example', name: 'Ewan Evans', org: 'MV', password },
  outsider: { email: 'otto.ohm@ni.example', name: 'Otto Ohm', org: 'NI', password },
};
const ACTIONS = 200;

let web: WebFixture;
let roomId: string;
let listId: string;
let roadmapId: string;
let list: SyncClient;
let roadmap: SyncClient;

/** A page of a browser context with scripts switched off, signed in as `person`. */
async function withoutScripts(person: { email: string; password: string }): Promise<Page> {
  const context = await web.browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  const page = await context.newPage();
  expect((await page.request.post(web.url('/api/auth/login'), { data: person })).status()).toBe(200);
  return page;
}

/** Updates the server received from clients so far, from /metrics. */
async function updatesReceived(): Promise<number> {
  const metrics = await (await fetch(web.url('/metrics'))).text();
  return Number(/^nordraum_sync_updates_received_total (\d+)/m.exec(metrics)?.[1]);
}

beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  ({ roomId, roadmapId, listId, roadmap, list } = await roomWithLists(
    web,
    { room: 'AG Registermodernisierung', roadmap: 'Roadmap Once-Only', list: 'Maßnahmen Once-Only' },
    { [ids.editor!]: 'editor', [ids.english!]: 'viewer' },
  ));
  roadmapOf(roadmap.doc).initialise();
  roadmapOf(roadmap.doc).addMilestone({
    themeId: 'theme-once-only',
    title: 'Nachweisabruf Meldewesen',
    start: '2027-02-01',
    end: '2027-03-31',
    lead: 'MV',
  });
  const actions = actionListOf(list.doc);
  list.doc.transact(() => {
    for (let i = 1; i <= ACTIONS; i += 1) {
      actions.addItem({ title: `Registerabgleich ${i}`, ownerId: i === 1 ? ids.editor : null, organization: 'SH' });
    }
  });
  // The first views are rendered from the server's copy: wait until it has committed the edits.
  const target = { url: web.server.url, origin: web.server.url, cookie: web.api.cookie };
  await untilCommitted(target, roadmapId, roadmap.doc);
  await untilCommitted(target, listId, list.doc);
});

afterAll(async () => {
  list?.destroy();
  roadmap?.destroy();
  await web?.close();
});

describe('the first view of a list', () => {
  it('shows an action list and a roadmap before any script has run, still inert', async () => {
    const page = await withoutScripts(people.editor);
    await page.goto(web.url(`/documents/${listId}`));
    const table = page.locator('table.action-table');
    expect(await table.getAttribute('aria-rowcount')).toBe(String(ACTIONS + 1));
    expect(await page.locator('#main h1').textContent()).toContain('Maßnahmen Once-Only');
    const titles = await page
      .locator('tr[data-item-id] [id$="-title"]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(titles.slice(0, 3)).toEqual(['Registerabgleich 1', 'Registerabgleich 2', 'Registerabgleich 3']);
    // Only the rows near the window: the rest follow once the browser runs the page.
    expect(titles.length).toBeLessThan(40);
    expect(await page.locator('tr[data-item-id]').first().textContent()).not.toContain('Unbekannte Person');
    // Typed into before the page runs, text would be lost: nothing takes focus until then.
    expect(await page.locator('section.actions').getAttribute('inert')).not.toBeNull();

    await page.goto(web.url(`/documents/${roadmapId}`));
    expect(await page.locator('g[data-milestone-id]').count()).toBe(1);
    expect(await page.locator('g[data-milestone-id]').textContent()).toContain('Nachweisabruf Meldewesen');
    await page.context().close();
    // Rendering and syncing share one Yjs in the process; two copies break its constructor checks.
    expect(web.server.output()).not.toContain('Yjs was already imported');
  });

  it('renders in the language the reader chose', async () => {
    const page = await withoutScripts(people.english);
    expect((await page.request.patch(web.url('/api/me'), { data: { locale: 'en' } })).status()).toBe(200);
    await page.goto(web.url(`/documents/${listId}`));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('table.action-table thead').textContent()).toContain('Due');
    await page.context().close();
  });

  it('shows nothing of the content to someone outside the room', async () => {
    const page = await withoutScripts(people.outsider);
    const response = await page.goto(web.url(`/documents/${listId}`));
    const html = await response!.text();
    expect(html).not.toContain('Registerabgleich');
    expect(html).not.toContain('Maßnahmen Once-Only');
    await page.context().close();
  });

  it('is taken over by the browser: the same rows, nothing sent back, then edited live', async () => {
    const before = await updatesReceived();
    const page = await freshPage(web);
    // The first row as the server sent it, kept as it is parsed: a view that the browser threw
    // away and built again would leave it detached.
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const row = document.querySelector('tr[data-item-id]');
        if (!row) return;
        (window as unknown as { serverRow: Element }).serverRow = row;
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.request.post(web.url('/api/auth/login'), { data: people.editor });
    await page.goto(web.url(`/documents/${listId}`));
    await untilLive(page);
    await expect.poll(() => page.locator('section.actions').getAttribute('inert')).toBeNull();
    expect(
      await page.evaluate(() => {
        const row = (window as unknown as { serverRow?: Element }).serverRow;
        return row?.isConnected && row === document.querySelector('tr[data-item-id]');
      }),
    ).toBe(true);
    // The browser started from the server's state: it had nothing to send back.
    expect(await updatesReceived()).toBe(before);

    const first = actionListOf(list.doc).items()[0]!;
    const title = page.locator(`#a-${first.id}-title`);
    await title.fill('Registerabgleich 1 mit Meldebehörde');
    await title.press('Enter');
    await expect.poll(() => actionListOf(list.doc).item(first.id)?.title).toBe('Registerabgleich 1 mit Meldebehörde');
    actionListOf(list.doc).updateItem(first.id, { status: 'in_progress' });
    await expect.poll(() => page.locator(`#a-${first.id}-status`).inputValue()).toBe('in_progress');
    await checkPage(page, 'first-view-action-list');
    await page.context().close();
  });

  it('opens a document known to this browser from the server rendering too, after a reload', async () => {
    const page = await openDocumentAs(web, people.editor, roadmapId);
    await page.reload();
    await untilLive(page);
    expect(await page.locator('g[data-milestone-id]').count()).toBe(1);
    await checkPage(page, 'first-view-roadmap');
    await page.context().close();
  });
});

describe('a change between the server rendering and the takeover', () => {
  it('shows once the browser has taken the view over', async () => {
    const page = await freshPage(web);
    await page.request.post(web.url('/api/auth/login'), { data: people.editor });
    const second = actionListOf(list.doc).items()[1]!;
    // The page as the server rendered it, delivered only after someone else renamed an action.
    await page.route(`**/documents/${listId}`, async (route) => {
      const rendered = await route.fetch();
      actionListOf(list.doc).updateItem(second.id, { title: 'Registerabgleich 2, nach dem Rendern geändert' });
      await untilCommitted({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, listId, list.doc);
      await route.fulfill({ response: rendered });
    });
    await page.goto(web.url(`/documents/${listId}`));
    await expect
      .poll(() => page.locator(`#a-${second.id}-title`).inputValue())
      .toBe('Registerabgleich 2, nach dem Rendern geändert');
    await page.context().close();
  });
});

describe('a page kept for offline use', () => {
  it('is forgotten once access to the document is taken away', async () => {
    const person = { email: 'rita.rueck@mv.example', name: 'Rita Rück', org: 'MV', password };
    const userId = await web.createUser(person);
    await web.api.put(`/api/rooms/${roomId}/members/${userId}`, { role: 'editor' });
    const page = await openDocumentAs(web, person, listId);
    await waitUntilKeptOffline(page);
    expect((await web.api.delete(`/api/rooms/${roomId}/members/${userId}`)).status).toBe(204);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('closed');
    // The kept page was rendered with the content: it must not open offline any more.
    await expect.poll(() => keptOffline(page)).toBe(false);
    await page.context().close();
  });
});
