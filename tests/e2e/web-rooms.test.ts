// Room pages, the account page and the legal pages in a real browser against a real server:
// what viewers and editors may do, a keyboard-only flow, the language stored per user.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, checkPage, expectHeading, freshPage, login, startWeb, tabTo, type WebFixture } from './web-support.ts';

const editor = { email: 'erik.ehlers@sh.example', name: 'Erik Ehlers', org: 'SH', password: 'Ehlers Passwort 2026' };
const viewer = { email: 'vera.voss@mv.example', name: 'Vera Voß', org: 'MV', password: 'Voß’ Passwort 2026' };
const roomName = 'AG Registermodernisierung Nord';
const imprint = 'Dataport AöR\\nAltenholzer Straße 10-14\\n24161 Altenholz';
let web: WebFixture;
let roomId: string;

beforeAll(async () => {
  web = await startWeb({ NORDRAUM_IMPRINT: imprint, NORDRAUM_CONTACT_EMAIL: 'barrierefreiheit@nordraum.example' });
  const editorId = await web.createUser(editor);
  const viewerId = await web.createUser(viewer);
  roomId = (await web.api.post('/api/rooms', { name: roomName, description: 'Once-Only in SH, MV und NI' })).json.room
    .id;
  await web.api.put(`/api/rooms/${roomId}/members/${editorId}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${viewerId}`, { role: 'viewer' });
  await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Auftaktworkshop Kiel' });
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function openRoom(page: Page) {
  await page.goto(web.url(`/rooms/${roomId}`));
  await expectHeading(page, roomName);
  await expect.poll(() => page.getByRole('link', { name: 'Auftaktworkshop Kiel' }).count()).toBe(1);
}

describe('room pages', () => {
  it('shows a viewer the documents but no controls to change them', async () => {
    const page = await freshPage(web);
    await login(web, page, viewer.email, viewer.password);
    await openRoom(page);
    await expect.poll(() => page.getByText('Lesezugriff').count()).toBeGreaterThan(0);
    for (const name of [
      /^Umbenennen/,
      /^Archivieren/,
      /^Dokument anlegen$/,
      /^Entfernen/,
      /^Einladungslink erstellen$/,
    ]) {
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    }
    expect(await page.getByRole('link', { name: 'Verwaltung' }).count()).toBe(0);
    await checkPage(page, 'room-viewer');
    await page.context().close();
  });

  it('lets an editor create, rename, archive and restore a document', async () => {
    const page = await freshPage(web);
    await login(web, page, editor.email, editor.password);
    await expectHeading(page, 'Meine Datenräume');
    await expect.poll(() => page.getByRole('link', { name: 'Auftaktworkshop Kiel' }).count()).toBe(1);
    await checkPage(page, 'rooms');

    await openRoom(page);
    await page.getByLabel('Art des Dokuments').selectOption({ label: 'Maßnahmenliste' });
    await page.getByLabel('Titel', { exact: true }).fill('Maßnahmen 2027');
    await page.getByRole('button', { name: 'Dokument anlegen' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Maßnahmen 2027', exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Maßnahmenlisten' }).count()).toBe(1);

    await page.getByRole('button', { name: action('Umbenennen', 'Maßnahmen 2027') }).click();
    const title = page.getByLabel('Neuer Titel für „Maßnahmen 2027“');
    expect(await title.evaluate((el) => el === document.activeElement)).toBe(true);
    await title.fill('Maßnahmenplan 2027');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Maßnahmenplan 2027' }).count()).toBe(1);
    // Focus returns to the rename button, so keyboard users keep their place.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Umbenennen/);

    await page.getByRole('button', { name: action('Archivieren', 'Maßnahmenplan 2027') }).click();
    const dialog = page.getByRole('dialog', { name: 'Dokument archivieren?' });
    await checkPage(page, 'room-archive-dialog');
    await dialog.getByRole('button', { name: 'Archivieren' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Maßnahmenplan 2027' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Archiv', exact: true }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Maßnahmenplan 2027' }).count()).toBe(1);
    await page.getByRole('button', { name: action('Wiederherstellen', 'Maßnahmenplan 2027') }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Maßnahmenplan 2027' }).count()).toBe(0);

    const documents = (await web.api.get(`/api/rooms/${roomId}/documents`)).json.documents;
    expect(documents.map((d: { title: string }) => d.title).sort()).toEqual([
      'Auftaktworkshop Kiel',
      'Maßnahmenplan 2027',
    ]);
    await checkPage(page, 'room-editor');
    await page.context().close();
  });

  it('works with the keyboard alone: log in, open a room, create a document', async () => {
    const page = await freshPage(web);
    await page.goto(web.url('/login'));
    await tabTo(page, page.locator('#login-email'));
    await page.keyboard.type(editor.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(editor.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/rooms$/);
    const roomLink = page.getByRole('link', { name: roomName });
    await roomLink.waitFor();
    await tabTo(page, roomLink);
    await page.keyboard.press('Enter');
    await expectHeading(page, roomName);
    const kind = page.getByLabel('Art des Dokuments');
    await tabTo(page, kind, 80);
    // Arrow keys change a closed <select> in Chromium without opening it.
    await page.keyboard.press('ArrowDown');
    expect(await kind.inputValue()).toBe('roadmap');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Roadmap Registerzensus');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('link', { name: 'Roadmap Registerzensus', exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'wurde angelegt' }).count()).toBe(1);
    await page.context().close();
  });
});

describe('account and language', () => {
  it('stores the language with the account, so it survives a new login elsewhere', async () => {
    const page = await freshPage(web);
    await login(web, page, viewer.email, viewer.password, '/account');
    await expectHeading(page, 'Mein Konto');
    await checkPage(page, 'account');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('group', { name: 'Sprache wählen' }).getByRole('button', { name: 'English' }).click();
    expect((await saved).status()).toBe(200);
    await expectHeading(page, 'My account');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.context().close();

    // A new browser profile knows nothing of the choice; the account does.
    const other = await freshPage(web);
    await login(web, other, viewer.email, viewer.password);
    await expectHeading(other, 'My data rooms');
    expect(await other.locator('html').getAttribute('lang')).toBe('en');
    await other.getByRole('button', { name: 'Deutsch' }).click();
    await expectHeading(other, 'Meine Datenräume');
    await other.context().close();
  });

  it('changes the own name, and shows a wrong current password next to its field', async () => {
    const page = await freshPage(web);
    await login(web, page, editor.email, editor.password, '/account');
    await page.getByLabel('Name', { exact: true }).fill('Erik M. Ehlers');
    await page.getByRole('button', { name: 'Namen speichern' }).click();
    await expect.poll(() => page.getByRole('banner').getByText('Erik M. Ehlers').count()).toBe(1);

    await page.getByLabel('Aktuelles Passwort').fill('nicht mein Passwort');
    await page.getByLabel('Neues Passwort', { exact: true }).fill('Ein ganz neues Passwort');
    await page.getByLabel('Neues Passwort wiederholen').fill('Ein ganz neues Passwort');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    const current = page.getByLabel('Aktuelles Passwort');
    await expect.poll(() => current.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#account-current-password-error').textContent()).toMatch(/nicht korrekt/);
    await page.context().close();
  });
});

describe('legal pages', () => {
  it('publishes the accessibility statement, the imprint and the contact, linked from the footer', async () => {
    const page = await freshPage(web);
    await page.goto(web.url('/login'));
    await page.getByRole('contentinfo').getByRole('link', { name: 'Barrierefreiheit' }).click();
    await expectHeading(page, 'Erklärung zur Barrierefreiheit');
    await expect.poll(() => page.getByText(/teilweise mit den Anforderungen der BITV 2.0/).count()).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: 'barrierefreiheit@nordraum.example' }).count()).toBe(1);
    expect(await page.getByText('www.schlichtungsstelle-bgg.de').count()).toBe(1);
    expect(await page.getByText(/§ 16 BGG/).count()).toBeGreaterThan(0);
    await checkPage(page, 'barrierefreiheit');

    await page.getByRole('contentinfo').getByRole('link', { name: 'Impressum' }).click();
    await expectHeading(page, 'Impressum');
    await expect
      .poll(() => page.locator('.imprint').innerText())
      .toBe('Dataport AöR\nAltenholzer Straße 10-14\n24161 Altenholz');
    await checkPage(page, 'impressum');

    await page.getByRole('contentinfo').getByRole('link', { name: 'Kontakt' }).click();
    await expectHeading(page, 'Kontakt');
    await expect.poll(() => page.getByRole('link', { name: 'barrierefreiheit@nordraum.example' }).count()).toBe(1);
    await checkPage(page, 'kontakt');
    await page.context().close();
  });
});
