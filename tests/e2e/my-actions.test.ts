// "Meine Aufgaben": open actions assigned to me across rooms, fed by the server's action index.
// One person assigns an action in the browser; the other sees it appear on /my-actions.
import { actionListOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../helpers/browser.ts';
import { connectClient, type SyncClient } from '../helpers/sync.ts';
import { freshPage, startWeb, untilLive, type WebFixture } from './web-support.ts';

const password = 'Aufgaben-Passwort 2026';
const people = {
  sh: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  mv: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
};

let web: WebFixture;
let listId: string;
let roomId: string;
let list: SyncClient;
let assignId: string;
let overdueId: string;

async function signedIn(person: keyof typeof people, path: string): Promise<Page> {
  const page = await freshPage(web);
  const login = await page.request.post(web.url('/api/auth/login'), { data: people[person] });
  expect(login.status()).toBe(200);
  await page.goto(web.url(path));
  return page;
}

beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  roomId = (await web.api.post('/api/rooms', { name: 'AG Once-Only Nord' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${ids.sh}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${ids.mv}`, { role: 'editor' });
  listId = (
    await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen Registerabgleich' })
  ).json.document.id;
  list = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, listId);
  await list.synced();
  const actions = actionListOf(list.doc);
  assignId = actions.addItem({
    title: 'Schnittstelle zum Melderegister prüfen',
    due: '2027-06-30',
    organization: 'SH',
  });
  overdueId = actions.addItem({
    title: 'Datenschutz-Folgenabschätzung',
    ownerId: ids.mv,
    organization: 'MV',
    due: '2020-02-03',
  });
  actions.addItem({ title: 'Erledigte Aufgabe', ownerId: ids.mv, status: 'done' });
}, 120_000);

afterAll(async () => {
  list?.destroy();
  await web?.close();
});

describe('my actions', () => {
  it('shows an action within seconds after someone assigns it in the browser', async () => {
    const mine = await signedIn('mv', '/my-actions');
    await expect.poll(() => mine.getByRole('heading', { level: 1 }).textContent()).toBe('Meine Aufgaben');
    // The overdue one is there (from the index), in its own group and in words; the done one is not.
    const overdue = mine.locator(`tr[data-item-id="${overdueId}"]`);
    await expect.poll(() => overdue.count()).toBe(1);
    expect(await overdue.textContent()).toContain('überfällig');
    expect(await mine.getByRole('heading', { name: /^Überfällig \(1\)$/ }).count()).toBe(1);
    expect(await mine.getByText('Erledigte Aufgabe').count()).toBe(0);
    expect(await mine.locator(`tr[data-item-id="${assignId}"]`).count()).toBe(0);

    // Anna assigns the other action to Bernd in the action list.
    const list = await signedIn('sh', `/documents/${listId}`);
    await untilLive(list);
    const owner = list.locator(`#a-${assignId}-owner`);
    await owner.focus();
    await owner.selectOption({ label: 'Bernd Berg (MV)' });
    const assignedAt = Date.now();

    // Bernd's page refreshes by itself; no reload.
    const row = mine.locator(`tr[data-item-id="${assignId}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const seconds = (Date.now() - assignedAt) / 1000;
    expect(seconds).toBeLessThan(12);
    expect(await row.getByRole('link', { name: 'Schnittstelle zum Melderegister prüfen' }).getAttribute('href')).toBe(
      `/documents/${listId}#action-${assignId}`,
    );
    expect(await row.getByRole('link', { name: 'AG Once-Only Nord' }).getAttribute('href')).toBe(`/rooms/${roomId}`);
    expect(await row.textContent()).toContain('30.06.2027');

    // Sorted by due date: the overdue action comes first.
    expect(await mine.locator('tr[data-item-id]').first().getAttribute('data-item-id')).toBe(overdueId);
    expect(await seriousViolations(mine)).toEqual([]);
    await screenshot(mine, 'my-actions');

    // The list link leads to the action list.
    await row.getByRole('link', { name: 'Maßnahmen Registerabgleich' }).click();
    await mine.waitForURL(new RegExp(`/documents/${listId}$`));
    await list.context().close();
    await mine.context().close();
  }, 60_000);

  it('lets the owner set the status there, and leads to the action itself, marked in its list', async () => {
    const mine = await signedIn('mv', '/my-actions');
    const status = mine.locator(`#my-${listId}-${overdueId}-status`);
    await status.waitFor();
    await status.selectOption('in_progress');
    // Written into the list itself, as its page would.
    await expect.poll(() => actionListOf(list.doc).item(overdueId)?.status).toBe('in_progress');
    await expect.poll(() => mine.locator('[data-my-actions-status]').textContent()).toContain('in Bearbeitung');
    expect(await seriousViolations(mine)).toEqual([]);

    await mine
      .locator(`tr[data-item-id="${overdueId}"]`)
      .getByRole('link', { name: 'Datenschutz-Folgenabschätzung' })
      .click();
    await mine.waitForURL(new RegExp(`/documents/${listId}#action-${overdueId}$`));
    await untilLive(mine);
    const target = mine.locator(`tr[data-item-id="${overdueId}"]`);
    await expect.poll(() => target.getAttribute('data-target')).toBe('');
    // In view once the page has settled (content may still arrive above the row).
    await expect
      .poll(() =>
        target.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    // Marked by more than colour: an outline around the row.
    expect(await target.locator('th').evaluate((cell) => getComputedStyle(cell).outlineStyle)).toBe('solid');
    await screenshot(mine, 'my-actions-target');
    await mine.context().close();
  }, 60_000);

  it('offers a personal calendar address, shown once, renewable', async () => {
    const mine = await signedIn('mv', '/my-actions');
    await mine.getByRole('button', { name: 'Kalenderadresse erstellen' }).click();
    const address = mine.getByLabel('Ihre Kalenderadresse (zum Abonnieren)');
    await expect.poll(() => address.inputValue()).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const url = await address.inputValue();
    const calendar = await fetch(url.replace(/^https?:\/\/[^/]+/, web.server.url));
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('Datenschutz-Folgenabschätzung');
    expect(await seriousViolations(mine)).toEqual([]);
    await mine.getByRole('button', { name: 'Neue Kalenderadresse erstellen' }).click();
    await expect.poll(() => address.inputValue()).not.toBe(url);
    expect((await fetch(url.replace(/^https?:\/\/[^/]+/, web.server.url))).status).toBe(404);
    await mine.context().close();
  }, 60_000);
});
