import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, adoptStartPassword } from '../helpers/app.ts';
import { launchChromium, screenshot, seriousViolations } from '../helpers/browser.ts';
import { type NordraumProcess, startNordraumProcess } from '../helpers/process.ts';
import { waitUntilKeptOffline } from './web-support.ts';

// The live notes editor as people use it: two states typing at once, a reader, a lost network
// and an ended session, against the real server with its embedded PostgreSQL.

const admin = { email: 'admin@dataport.example', password: 'Administrationspasswort' };
const password = 'Protokoll-Passwort 2026';
const people = {
  sh: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH' },
  mv: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV' },
  viewer: { email: 'vera.voss@sh.example', name: 'Vera Voss', org: 'SH' },
};

let server: NordraumProcess;
let browser: Browser;
let dataDir: string;
let documentId: string;
let roadmapId: string;
let api: ApiClient;
let roomId: string;
const open: Record<'sh' | 'mv', { context: BrowserContext; page: Page }> = {} as never;

const editorOf = (page: Page) => page.locator('.ProseMirror');
/** The notes text as a reader sees it, without the name labels of other people's carets. */
const textOf = (page: Page) =>
  editorOf(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
    return (copy.textContent ?? '').replaceAll('\u2060', '');
  });
const statusOf = (page: Page) => page.locator('[data-status]').getAttribute('data-status');

/** A fresh browser context, signed in as `email`, on the notes document. */
async function openAs(email: string, path = `/documents/${documentId}`) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const login = await page.request.post(`${server.url}/api/auth/login`, { data: { email, password } });
  expect(login.status()).toBe(200);
  await page.goto(server.url + path);
  return { context, page };
}

/** Waits until the notes are on screen, connected and synced. */
async function ready(page: Page, editable = true) {
  await editorOf(page).waitFor();
  await expect.poll(() => statusOf(page)).toBe('synced');
  expect(await editorOf(page).getAttribute('contenteditable')).toBe(String(editable));
}

/** Puts the caret at the end of the text and types, as a person would. */
async function typeAtEnd(page: Page, text: string) {
  await editorOf(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nordraum-notes-'));
  server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
  });
  api = new ApiClient(server.url);
  await api.login(admin.email, admin.password);
  const organizations: { id: string; code: string }[] = (await api.get('/api/organizations')).json.organizations;
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) {
    const organizationId = organizations.find((o) => o.code === person.org)!.id;
    const created = await api.post('/api/admin/users', {
      email: person.email,
      name: person.name,
      organizationId,
      password,
    });
    expect(created.status).toBe(201);
    await adoptStartPassword(server.url, person.email, password);
    ids[key] = created.json.user.id;
  }
  const room = (await api.post('/api/rooms', { name: 'AG Krisenkommunikation SH–MV' })).json.room;
  roomId = room.id;
  await api.put(`/api/rooms/${room.id}/members/${ids.sh}`, { role: 'editor' });
  await api.put(`/api/rooms/${room.id}/members/${ids.mv}`, { role: 'editor' });
  await api.put(`/api/rooms/${room.id}/members/${ids.viewer}`, { role: 'viewer' });
  const notes = await api.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Workshop 3: Lagebild' });
  documentId = notes.json.document.id;
  roadmapId = (await api.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Roadmap 2027' })).json
    .document.id;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the live notes editor', () => {
  it('shows what one state types to the other within a second, with named carets', async () => {
    open.sh = await openAs(people.sh.email);
    open.mv = await openAs(people.mv.email);
    await Promise.all([ready(open.sh.page), ready(open.mv.page)]);
    expect(await open.sh.page.getByRole('heading', { level: 1 }).textContent()).toBe('Workshop 3: Lagebild');

    await typeAtEnd(open.sh.page, 'Lagebild aus Kiel');
    const started = Date.now();
    await open.mv.page.waitForFunction(
      () => document.querySelector('.ProseMirror')?.textContent?.includes('Lagebild aus Kiel'),
      undefined,
      { polling: 10, timeout: 5000 },
    );
    expect(Date.now() - started).toBeLessThan(1000);

    await typeAtEnd(open.mv.page, ' und Schwerin');
    await expect.poll(() => textOf(open.sh.page)).toContain('Lagebild aus Kiel und Schwerin');

    // Each sees the other's caret, labelled with name and organisation, and the presence list.
    await expect
      .poll(() => open.sh.page.locator('.collab-caret__label').allTextContents())
      .toEqual(['Bernd Berg (MV)']);
    await expect
      .poll(() => open.mv.page.locator('.collab-caret__label').allTextContents())
      .toEqual(['Anna Ahrens (SH)']);
    await expect.poll(() => open.sh.page.locator('.presence').innerText()).toContain('Bernd Berg');
    expect(await open.sh.page.getByText('synchronisiert').count()).toBeGreaterThan(0);

    expect(await seriousViolations(open.sh.page)).toEqual([]);
    await screenshot(open.sh.page, 'notes-sh');
    await screenshot(open.mv.page, 'notes-mv');
  });

  it('works with the keyboard alone: Tab to the text, type, Ctrl+B, toolbar arrows', async () => {
    const { page } = open.sh;
    // Start from the top of the page, as after loading it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const editorFocused = () => editorOf(page).evaluate((el) => el === document.activeElement);
    for (let i = 0; i < 40 && !(await editorFocused()); i += 1) await page.keyboard.press('Tab');
    expect(await editorFocused()).toBe(true);

    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Ergebnis: ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Meldewege klären');
    const bold = page.getByRole('button', { name: 'Fett' });
    await expect.poll(() => bold.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Control+b');
    await expect.poll(() => editorOf(page).locator('strong').allTextContents()).toEqual(['Meldewege klären']);
    await expect.poll(() => bold.getAttribute('aria-pressed')).toBe('false');

    // Shift+Tab leads to the toolbar (one tab stop); arrows move inside it.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('[role="toolbar"]') !== null)).toBe(true);
    await page.keyboard.press('Home');
    for (let i = 0; i < 10 && !(await bold.evaluate((el) => el === document.activeElement)); i += 1) {
      await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Kursiv');
    await page.keyboard.press('Enter');
    // TipTap hands focus back to the text in the next animation frame.
    await expect.poll(editorFocused).toBe(true);
    await page.keyboard.type(' sofort');
    await expect.poll(() => editorOf(page).locator('em').allTextContents()).toEqual([' sofort']);
    await expect.poll(() => textOf(open.mv.page)).toContain('Meldewege klären sofort');
  });

  it('lets a viewer read along but not type', async () => {
    const { context, page } = await openAs(people.viewer.email);
    await ready(page, false);
    expect(await editorOf(page).getAttribute('aria-readonly')).toBe('true');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Leserechte' }).count()).toBe(1);
    const before = await textOf(page);
    await editorOf(page).click();
    await page.keyboard.type('Darf ich das?');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await textOf(page)).toBe(before);
    expect(await page.getByRole('toolbar').count()).toBe(0);

    // Live updates still arrive, and no caret or presence of the viewer reaches the editors.
    await typeAtEnd(open.mv.page, ' – Rückmeldung bis Freitag');
    await expect.poll(() => textOf(page)).toContain('Rückmeldung bis Freitag');
    expect(await textOf(open.sh.page)).not.toContain('Darf ich das?');
    expect(await open.sh.page.locator('.presence').innerText()).not.toContain('Vera Voss');

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'notes-viewer');
    await context.close();
  });

  it('tells an editor made a reader while typing, and keeps the text live', async () => {
    const organizations: { id: string; code: string }[] = (await api.get('/api/organizations')).json.organizations;
    const person = { email: 'dirk.dorn@sh.example', name: 'Dirk Dorn' };
    const created = await api.post('/api/admin/users', {
      ...person,
      organizationId: organizations.find((o) => o.code === 'SH')!.id,
      password,
    });
    await adoptStartPassword(server.url, person.email, password);
    await api.put(`/api/rooms/${roomId}/members/${created.json.user.id}`, { role: 'editor' });
    const { context, page } = await openAs(person.email);
    await ready(page);
    await typeAtEnd(page, ' Dirk schreibt mit.');
    await expect.poll(() => textOf(open.sh.page)).toContain('Dirk schreibt mit.');

    await api.put(`/api/rooms/${roomId}/members/${created.json.user.id}`, { role: 'viewer' });
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Sie können jetzt nur noch lesen' }).count())
      .toBe(1);
    expect(await editorOf(page).getAttribute('contenteditable')).toBe('false');
    await typeAtEnd(open.mv.page, ' – Protokoll geht weiter');
    await expect.poll(() => textOf(page)).toContain('Protokoll geht weiter');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('keeps typing offline and merges both sides when the network returns', async () => {
    const sh = open.sh.page;
    const mv = open.mv.page;
    await open.sh.context.setOffline(true);
    await expect.poll(() => statusOf(sh)).toBe('offline');
    expect(await sh.getByText('offline, Änderungen werden lokal gespeichert').count()).toBe(1);

    await typeAtEnd(sh, ' [offline in Kiel notiert]');
    await typeAtEnd(mv, ' [zeitgleich in Schwerin]');
    await sh.waitForTimeout(300);
    expect(await textOf(mv)).not.toContain('offline in Kiel');

    await open.sh.context.setOffline(false);
    for (const page of [sh, mv]) {
      await expect.poll(() => textOf(page)).toContain('[offline in Kiel notiert]');
      await expect.poll(() => textOf(page)).toContain('[zeitgleich in Schwerin]');
    }
    await expect.poll(() => statusOf(sh)).toBe('synced');
    expect(await textOf(sh)).toBe(await textOf(mv));
  });

  it('reopens a visited document offline from the local copy', async () => {
    const { context, page } = open.mv;
    // The service worker keeps the page itself; wait until it has it before cutting the network.
    await waitUntilKeptOffline(page);
    const text = await textOf(page);

    await context.setOffline(true);
    await page.reload();
    await editorOf(page).waitFor();
    await expect.poll(() => textOf(page)).toBe(text);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Workshop 3: Lagebild');
    expect(await statusOf(page)).toBe('offline');
    expect(await page.getByText('Offline-Ansicht').count()).toBe(1);

    await typeAtEnd(page, ' [nach Neuladen offline]');
    await context.setOffline(false);
    // Back online, the page reconnects (y-websocket backs off up to 2.5 s between attempts).
    await expect.poll(() => textOf(open.sh.page), { timeout: 20_000 }).toContain('[nach Neuladen offline]');
  });

  it('keeps what was typed when the session ends, and syncs it after signing in again', async () => {
    const { context, page } = open.sh;
    await context.setOffline(true);
    await expect.poll(() => statusOf(page)).toBe('offline');
    await typeAtEnd(page, ' [vor Sitzungsende]');

    // The session ends elsewhere (logout in another tab, expiry) while this tab is offline.
    const cookie = (await context.cookies()).find((c) => c.name === 'nordraum_session')!;
    const other = new ApiClient(server.url);
    other.cookie = `${cookie.name}=${cookie.value}`;
    expect((await other.post('/api/auth/logout')).status).toBeLessThan(300);

    await context.setOffline(false);
    await page.waitForURL(/\/login\?next=/, { timeout: 15_000 });
    expect(decodeURIComponent(page.url())).toContain(`next=/documents/${documentId}`);
    await page.getByLabel('E-Mail-Adresse').fill(people.sh.email);
    await page.getByLabel('Passwort').fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(new RegExp(`/documents/${documentId}$`));
    await ready(page);
    expect(await textOf(page)).toContain('[vor Sitzungsende]');
    await expect.poll(() => textOf(open.mv.page)).toContain('[vor Sitzungsende]');
  });

  it('explains other document kinds and unknown documents instead of a blank page', async () => {
    const { context, page } = open.mv;
    await page.goto(`${server.url}/documents/${roadmapId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Roadmap 2027');
    expect(await editorOf(page).count()).toBe(0);

    await page.goto(`${server.url}/documents/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dokument nicht gefunden');
    expect(await page.getByRole('link', { name: 'Zu meinen Datenräumen' }).count()).toBe(1);
    await context.close();
    await open.sh.context.close();
  });
});
