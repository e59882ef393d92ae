// Two things a room owner does in the browser: manage the invitations into their room, and sign
// out of a shared office computer so the next person finds none of their documents.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/browser.ts';
import {
  action,
  checkPage,
  expectHeading,
  freshPage,
  login,
  openDocumentAs,
  startWeb,
  type WebFixture,
  waitUntilKeptOffline,
} from './web-support.ts';

const owner = { email: 'olga.ohlsen@sh.example', name: 'Olga Ohlsen', org: 'SH', password: 'Ohlsens Passwort 2026' };
const roomName = 'AG Digitale Verwaltung';
let web: WebFixture;
let roomId: string;
let documentId: string;

beforeAll(async () => {
  web = await startWeb();
  const ownerId = await web.createUser(owner);
  roomId = (await web.api.post('/api/rooms', { name: roomName })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${ownerId}`, { role: 'owner' });
  documentId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Workshop Schwerin' }))
    .json.document.id;
}, 120_000);

afterAll(async () => {
  await web?.close();
});

describe('invitations on the room page', () => {
  it('lets the owner invite into their own organisation, see the invitation and withdraw it', async () => {
    const page = await freshPage(web);
    await login(web, page, owner.email, owner.password, `/rooms/${roomId}`);
    await expectHeading(page, roomName);
    const list = page.getByRole('region', { name: 'Offene Einladungen in diesen Datenraum' });
    await expect.poll(() => page.getByText('Es gibt keine offenen Einladungen.').count()).toBe(1);

    // Owners invite into their own organisation: it is the only one offered, and chosen.
    const organization = page.locator('#room-invite-organization');
    expect(await organization.locator('option:not([value=""])').allTextContents()).toEqual([
      expect.stringContaining('(SH)'),
    ]);
    await page.locator('#room-invite-email').fill('neue.kollegin@sh.example');
    await page.locator('#room-invite-role').selectOption('commenter');
    await page.getByRole('button', { name: 'Einladungslink erstellen' }).click();
    await expect.poll(() => page.getByText('Einladung für neue.kollegin@sh.example erstellt').count()).toBe(1);
    await expect.poll(() => list.getByRole('rowheader', { name: 'neue.kollegin@sh.example' }).count()).toBe(1);
    expect(await list.getByText('AG Digitale Verwaltung (Kommentierung)').count()).toBe(1);
    await checkPage(page, 'room-invitations');

    await page.reload();
    await expect.poll(() => list.getByRole('rowheader', { name: 'neue.kollegin@sh.example' }).count()).toBe(1);
    await list.getByRole('button', { name: action('Zurückziehen', 'neue.kollegin@sh.example') }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Zurückziehen' }).click();
    await expect.poll(() => page.getByText('Es gibt keine offenen Einladungen.').count()).toBe(1);
    expect((await web.api.get(`/api/rooms/${roomId}/invitations`)).json.invitations).toEqual([]);
    await page.context().close();
  });
});

describe('signing out', () => {
  const documentUrl = () => web.url(`/documents/${documentId}`);
  const localDatabases = (page: Page) =>
    page.evaluate(async () =>
      (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith('nordraum-')),
    );
  const pageKept = (page: Page, url: string) =>
    page.evaluate(async (address) => {
      for (const key of await caches.keys()) {
        if (key.endsWith('-pages') && (await (await caches.open(key)).match(address))) return true;
      }
      return false;
    }, url);

  async function openAndSignOut(forget: boolean) {
    const page = await openDocumentAs(web, owner, documentId);
    await waitUntilKeptOffline(page);
    await expect.poll(() => localDatabases(page)).toContain(`nordraum-${documentId}`);
    await page.getByRole('button', { name: 'Abmelden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Abmelden?' });
    const checkbox = dialog.getByRole('checkbox', { name: 'Kopien auf diesem Gerät löschen' });
    expect(await checkbox.isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    if (!forget) await checkbox.uncheck();
    await dialog.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL(/\/login/);
    await expectHeading(page, 'Anmelden');
    return page;
  }

  it('deletes the documents and kept pages of this device by default', async () => {
    const page = await openAndSignOut(true);
    await expect.poll(() => localDatabases(page)).toEqual([]);
    expect(await pageKept(page, documentUrl())).toBe(false);
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401);
    await page.context().close();
  });

  it('keeps them when the person unticks the box', async () => {
    const page = await openAndSignOut(false);
    expect(await localDatabases(page)).toContain(`nordraum-${documentId}`);
    expect(await pageKept(page, documentUrl())).toBe(true);
    await page.context().close();
  });
});
