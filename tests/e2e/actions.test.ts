// The action list as people use it: two states changing different fields of one action at once,
// typing while someone else edits the same row, keyboard-only entry, milestone links that
// outlive their milestone, a reader. The document page mounts ActionListView for kind actions.
import { actionListOf, roadmapOf } from '@nordraum/domain';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../helpers/browser.ts';
import { connectClient, type SyncClient } from '../helpers/sync.ts';
import {
  freshPage,
  openDocumentAs,
  roomWithLists,
  startWeb,
  tabTo,
  untilLive,
  type WebFixture,
  waitUntilKeptOffline,
} from './web-support.ts';

const password = 'Massnahmen-Passwort 2026';
const people = {
  sh: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  mv: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
  viewer: { email: 'vera.voss@sh.example', name: 'Vera Voss', org: 'SH', password },
};

let web: WebFixture;
let roomId: string;
let listId: string;
let roadmapId: string;
let list: SyncClient;
let roadmap: SyncClient;
let itemId: string;
let milestoneId: string;
const pages: Record<'sh' | 'mv', Page> = {} as never;

const item = (id = itemId) => actionListOf(list.doc).item(id);
const row = (page: Page, id = itemId): Locator => page.locator(`tr[data-item-id="${id}"]`);
const field = (page: Page, name: string, id = itemId): Locator => page.locator(`#a-${id}-${name}`);

/** Picks a choice as a person does: the select gets focus first, which builds its option list. */
async function choose(select: Locator, value: string) {
  await select.focus();
  await select.selectOption(value);
}

/**
 * Types 31 February of 2027 into a date input, in whichever order the browser's date field
 * takes day and month (its language decides, not the page's): day first, else month first.
 */
async function typeImpossibleDate(page: Page, input: Locator) {
  await input.focus();
  await page.keyboard.type('31022027');
  if (await input.evaluate((element: HTMLInputElement) => element.validity.badInput)) return;
  // Month first: Escape puts the stored date back, then once more the other way round.
  await page.keyboard.press('Escape');
  await input.focus();
  await page.keyboard.type('02312027');
}

const openAs = (person: keyof typeof people) => openDocumentAs(web, people[person], listId);

/** A new person, made an editor of the room, with the list open in a browser of their own. */
async function openAsNewEditor(email: string, name: string, org: string) {
  const person = { email, name, org, password };
  const userId = await web.createUser(person);
  await web.api.put(`/api/rooms/${roomId}/members/${userId}`, { role: 'editor' });
  return { person, userId, page: await openDocumentAs(web, person, listId) };
}

/** Lowers a member to reader; the warning a page then shows. */
const makeReader = async (userId: string) =>
  expect((await web.api.put(`/api/rooms/${roomId}/members/${userId}`, { role: 'viewer' })).status).toBe(200);
const readOnlyWarnings = (page: Page) =>
  page.getByRole('alert').filter({ hasText: 'Sie können jetzt nur noch lesen' }).count();

beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  ({ roomId, roadmapId, listId, roadmap, list } = await roomWithLists(
    web,
    { room: 'AG IT-Resilienz SH–MV', roadmap: 'Roadmap IT-Resilienz', list: 'Maßnahmen Notfallübung' },
    { [ids.sh!]: 'editor', [ids.mv!]: 'editor', [ids.viewer!]: 'viewer' },
  ));
  roadmapOf(roadmap.doc).initialise();
  milestoneId = roadmapOf(roadmap.doc).addMilestone({
    themeId: 'theme-it-resilienz',
    title: 'Notfallübung Mai',
    start: '2027-05-03',
    end: '2027-05-07',
  });
  const actions = actionListOf(list.doc);
  itemId = actions.addItem({ title: 'Meldeweg abstimmen', organization: 'SH' });
  actions.addItem({ title: 'Übungsdrehbuch schreiben', ownerId: ids.mv, organization: 'MV', due: '2020-03-01' });
  actions.addItem({ title: 'Lagezentrum buchen', due: '2027-04-15', status: 'done' });
}, 120_000);

afterAll(async () => {
  list?.destroy();
  roadmap?.destroy();
  await web?.close();
});

describe('the action list', () => {
  it('keeps both when one state sets the due date and the other the status of one action', async () => {
    pages.sh = await openAs('sh');
    pages.mv = await openAs('mv');
    await row(pages.sh, itemId).waitFor();
    await Promise.all([field(pages.sh, 'due').fill('2027-05-31'), choose(field(pages.mv, 'status'), 'in_progress')]);
    await expect.poll(() => item()?.due).toBe('2027-05-31');
    await expect.poll(() => item()?.status).toBe('in_progress');
    for (const page of [pages.sh, pages.mv]) {
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await expect.poll(() => field(page, 'due').inputValue()).toBe('2027-05-31');
      await expect.poll(() => field(page, 'status').inputValue()).toBe('in_progress');
    }
  });

  it('keeps the words of two people typing in the same title at once, and each caret where it was', async () => {
    const anna = field(pages.sh, 'title');
    const bernd = field(pages.mv, 'title');
    await anna.click();
    await pages.sh.keyboard.press('Control+End');
    await bernd.click();
    await pages.mv.keyboard.press('Control+Home');
    await Promise.all([pages.sh.keyboard.type(' mit MV'), pages.mv.keyboard.type('SH/MV: ')]);
    const merged = 'SH/MV: Meldeweg abstimmen mit MV';
    await expect.poll(() => item()?.title).toBe(merged);
    // Both see both words while still typing, and each caret stayed behind their own words.
    await expect.poll(() => anna.inputValue()).toBe(merged);
    await expect.poll(() => bernd.inputValue()).toBe(merged);
    expect(await anna.evaluate((input: HTMLInputElement) => input.selectionStart)).toBe(merged.length);
    expect(await bernd.evaluate((input: HTMLInputElement) => input.selectionStart)).toBe('SH/MV: '.length);
    expect(await pages.sh.evaluate(() => document.activeElement?.id)).toBe(`a-${itemId}-title`);
    // Bernd changes the status meanwhile; Anna types on, undisturbed, and sees who is in the row.
    await choose(field(pages.mv, 'status'), 'blocked');
    await expect.poll(() => field(pages.sh, 'status').inputValue()).toBe('blocked');
    await expect.poll(() => row(pages.mv).textContent()).toContain('Anna Ahrens (SH)');
    await pages.sh.keyboard.type(' und DVZ');
    await pages.sh.keyboard.press('Tab');
    await expect.poll(() => item()?.title).toBe(`${merged} und DVZ`);
    await expect.poll(() => bernd.inputValue()).toBe(`${merged} und DVZ`);
    // Bernd takes his prefix back out, character by character, as a person does.
    await bernd.click();
    await pages.mv.keyboard.press('Control+Home');
    for (let i = 0; i < 'SH/MV: '.length; i += 1) await pages.mv.keyboard.press('Delete');
    await expect.poll(() => item()?.title).toBe('Meldeweg abstimmen mit MV und DVZ');
    await pages.mv.locator('body').click({ position: { x: 5, y: 5 } });
  });

  it('refuses an impossible due date next to the field and keeps the stored one for everyone', async () => {
    actionListOf(list.doc).updateItem(itemId, { due: '2027-03-15' });
    const due = field(pages.sh, 'due');
    await expect.poll(() => due.inputValue()).toBe('2027-03-15');
    await typeImpossibleDate(pages.sh, due);
    await pages.sh.keyboard.press('Tab');
    await expect.poll(() => due.getAttribute('aria-invalid')).toBe('true');
    const message = pages.sh.locator(`#${(await due.getAttribute('aria-describedby'))!.split(' ')[0]}`);
    expect(await message.textContent()).toContain('Kein gültiges Datum');
    expect(await message.textContent()).toContain('15.03.2027');
    // Nothing was written: the stored date stays, here and for Bernd. Anna's next edit on the same
    // socket arrives after anything her page wrote before it.
    const status = item()?.status;
    await choose(field(pages.sh, 'status'), status === 'in_progress' ? 'open' : 'in_progress');
    await expect.poll(() => item()?.status).not.toBe(status);
    expect(item()?.due).toBe('2027-03-15');
    expect(await field(pages.mv, 'due').inputValue()).toBe('2027-03-15');
    // A real date is taken again: Escape brings the stored one back, then it is changed.
    await due.focus();
    await pages.sh.keyboard.press('Escape');
    await expect.poll(() => due.getAttribute('aria-invalid')).toBeNull();
    // Tab would only move to the field's next part (day, month, year): leave it outright.
    await due.blur();
    actionListOf(list.doc).updateItem(itemId, { due: '2027-02-28' });
    await expect.poll(() => due.inputValue()).toBe('2027-02-28');
    await expect.poll(() => due.getAttribute('aria-invalid')).toBeNull();
    actionListOf(list.doc).updateItem(itemId, { due: null, status });
    await expect.poll(() => field(pages.sh, 'status').inputValue()).toBe(status);
  });

  it('keeps the row one types in when a change from elsewhere takes it out of the filter', async () => {
    const page = pages.sh;
    const title = field(page, 'title');
    await page.locator('#actions-filter-status').selectOption('blocked');
    await expect.poll(() => page.locator('tr[data-item-id]').count()).toBe(1);
    await title.click();
    // Ctrl+End: the title is a text area that may wrap, where End only reaches the end of a line.
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' (Entwurf');
    // Bernd closes the action: it no longer matches Anna's filter, but she is typing in it.
    actionListOf(list.doc).updateItem(itemId, { status: 'done' });
    await expect.poll(() => field(page, 'status').inputValue()).toBe('done');
    await page.keyboard.type(' für MV)');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`a-${itemId}-title`);
    await page.keyboard.press('Enter');
    await expect.poll(() => item()?.title).toBe('Meldeweg abstimmen mit MV und DVZ (Entwurf für MV)');
    // Once she leaves the row, the filter applies again.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => row(page).count()).toBe(0);
    await page.locator('#actions-filter-status').selectOption('');
    await expect.poll(() => row(page).count()).toBe(1);
    actionListOf(list.doc).updateItem(itemId, { title: 'Meldeweg abstimmen mit MV und DVZ', status: 'blocked' });
    await expect.poll(() => title.inputValue()).toBe('Meldeweg abstimmen mit MV und DVZ');
  });

  it('adds an action with the keyboard alone and assigns it', async () => {
    const page = pages.sh;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, page.getByLabel('Neue Maßnahme'));
    await page.keyboard.type('Kontaktliste aktualisieren');
    await page.keyboard.press('Enter');
    const added = () =>
      actionListOf(list.doc)
        .items()
        .find((entry) => entry.title === 'Kontaktliste aktualisieren');
    await expect.poll(() => added()?.status).toBe('open');
    await expect.poll(() => row(pages.mv, added()!.id).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('action-new-title');

    // Tab into the new row's owner select and pick Bernd with the arrow keys.
    await tabTo(page, field(page, 'owner', added()!.id), 120);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => added()?.ownerId).not.toBeNull();
  });

  it('links an action to a milestone and says so when the milestone is gone', async () => {
    await choose(field(pages.sh, 'milestone'), `${roadmapId}|${milestoneId}`);
    await expect.poll(() => item()?.milestoneId).toBe(milestoneId);
    expect(item()?.roadmapId).toBe(roadmapId);
    await pages.sh.locator('body').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => row(pages.mv).textContent()).toContain('Notfallübung Mai');

    roadmapOf(roadmap.doc).removeMilestone(milestoneId);
    for (const page of [pages.sh, pages.mv]) {
      await expect.poll(() => row(page).textContent()).toContain('Meilenstein entfernt');
    }
  });

  it('marks overdue actions in words and filters them', async () => {
    const page = pages.mv;
    const overdue = actionListOf(list.doc)
      .items()
      .find((entry) => entry.title === 'Übungsdrehbuch schreiben')!;
    expect(await row(page, overdue.id).textContent()).toContain('überfällig');
    expect(await row(page, itemId).textContent()).not.toContain('überfällig');
    await page.getByLabel('Nur überfällige').check();
    await expect.poll(() => page.locator('tr[data-item-id]').count()).toBe(1);
    await page.getByLabel('Nur überfällige').uncheck();
    const count = () => page.locator('.actions__count').textContent();
    expect(await count()).toContain('Davon überfällig: 1');
    // The counts follow the filters: no overdue action is done.
    await page.locator('#actions-filter-status').selectOption('done');
    await expect.poll(() => page.locator('tr[data-item-id]').count()).toBe(1);
    await expect.poll(count).not.toContain('überfällig');
    await page.locator('#actions-filter-status').selectOption('');
    await expect.poll(count).toContain('Davon überfällig: 1');
    await page.locator('#actions-sort').selectOption('due');
    const firstRow = () => page.locator('tr[data-item-id]').first().getAttribute('data-item-id');
    await expect.poll(firstRow).toBe(overdue.id);
    // On a striped (odd) row too, the overdue row is marked: in words and by its background.
    const background = (id: string) =>
      row(page, id)
        .locator('th')
        .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    const rows = await page
      .locator('tr[data-item-id]')
      .evaluateAll((list) => list.map((r) => r.getAttribute('data-item-id')!));
    const stripedPlain = rows[2]!;
    expect(await background(overdue.id)).not.toBe(await background(stripedPlain));
    expect(await background(overdue.id)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await row(page, overdue.id).textContent()).toContain('überfällig');
    // While focus is in the table the order holds still: the first row, re-dated from elsewhere,
    // moves down only once focus has left the table.
    await page.locator(`#a-${overdue.id}-title`).focus();
    actionListOf(list.doc).updateItem(overdue.id, { due: '2099-12-31' });
    await expect.poll(() => page.locator(`#a-${overdue.id}-due`).inputValue()).toBe('2099-12-31');
    expect(await firstRow()).toBe(overdue.id);
    await page.locator(`#a-${overdue.id}-title`).blur();
    await expect.poll(firstRow).not.toBe(overdue.id);
    actionListOf(list.doc).updateItem(overdue.id, { due: overdue.due });
    await expect.poll(firstRow).toBe(overdue.id);
    expect(await page.getByRole('link', { name: /CSV/ }).getAttribute('href')).toBe(
      `/api/documents/${listId}/export?format=csv`,
    );
    expect(await page.getByRole('link', { name: /iCalendar/ }).getAttribute('href')).toBe(
      `/api/documents/${listId}/export?format=ics`,
    );
    await page.locator('#actions-sort').selectOption('list');
  });

  it('passes axe, with an editor and with a reader who cannot change anything', async () => {
    await pages.sh.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await seriousViolations(pages.sh)).toEqual([]);
    await screenshot(pages.sh, 'actions-editor');

    const page = await openAs('viewer');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Leserechte' }).count()).toBe(1);
    await row(page).waitFor();
    expect(await page.locator('table input, table select').count()).toBe(0);
    expect(await page.getByLabel('Neue Maßnahme').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Löschen/ }).count()).toBe(0);
    actionListOf(list.doc).updateItem(itemId, { title: 'Meldeweg live verfolgt' });
    await expect.poll(() => row(page).textContent()).toContain('Meldeweg live verfolgt');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'actions-viewer');
    await page.context().close();
  });

  it('takes the pen from an editor removed from the room while the list is open', async () => {
    const { userId, page } = await openAsNewEditor('carla.claussen@mv.example', 'Carla Claußen', 'MV');
    await page.getByLabel('Neue Maßnahme').waitFor();
    expect(await field(page, 'status').count()).toBe(1);

    expect((await web.api.delete(`/api/rooms/${roomId}/members/${userId}`)).status).toBe(204);
    await expect.poll(() => page.getByLabel('Neue Maßnahme').count()).toBe(0);
    await expect.poll(() => field(page, 'status').count()).toBe(0);
    await page.context().close();
  });

  it('tells an editor made a reader while the list is open, and keeps showing changes live', async () => {
    const dirk = await openAsNewEditor('dirk.dorn@sh.example', 'Dirk Dorn', 'SH');
    const { page } = dirk;
    await field(page, 'title').waitFor();
    await makeReader(dirk.userId);
    // Told at once, not left typing into edits the server drops.
    await expect.poll(() => readOnlyWarnings(page)).toBe(1);
    expect(await page.getByLabel('Neue Maßnahme').count()).toBe(0);
    expect(await field(page, 'title').count()).toBe(0);
    // Still reading live: a change from elsewhere shows up.
    actionListOf(list.doc).updateItem(itemId, { title: 'Meldeweg abgestimmt' });
    await expect.poll(() => row(page).textContent()).toContain('Meldeweg abgestimmt');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('tells an editor made a reader while offline, once back online', async () => {
    const frieda = await openAsNewEditor('frieda.falk@mv.example', 'Frieda Falk', 'MV');
    const { page } = frieda;
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('synced');
    await page.context().setOffline(true);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('offline');
    await makeReader(frieda.userId);
    // The socket comes back as a reader's: no close code says so, the role is asked for.
    await page.context().setOffline(false);
    await expect.poll(() => readOnlyWarnings(page)).toBe(1);
    expect(await field(page, 'title').count()).toBe(0);
    await page.context().close();
  });

  it('keeps a half-typed title when the session ends, and sends it after signing in again', async () => {
    const { person, page } = await openAsNewEditor('erik.ehlers@mv.example', 'Erik Ehlers', 'MV');
    const title = field(page, 'title');
    await title.click();
    await page.keyboard.press('Control+End');
    // A title is collaborative text: what is typed goes out as it is typed (and into the copy
    // on this device), so nothing waits for the field to be left.
    await page.keyboard.type(' (nachfassen)');

    // The session ends elsewhere (logout in another tab, expiry) while Erik is still typing.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'nordraum_session')!;
    const ended = await fetch(web.url('/api/auth/logout'), {
      method: 'POST',
      headers: { cookie: `${cookie.name}=${cookie.value}`, origin: web.server.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ended.status).toBeLessThan(300);
    await page.waitForURL(/\/login\?next=/, { timeout: 15_000 });
    await page.getByLabel('E-Mail-Adresse').fill(person.email);
    await page.getByLabel('Passwort').fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(new RegExp(`/documents/${listId}$`));
    await expect.poll(() => item()?.title).toBe('Meldeweg abgestimmt (nachfassen)');
    await page.context().close();
  });

  it('deletes an action after asking', async () => {
    const page = pages.sh;
    await row(page)
      .getByRole('button', { name: /^Löschen/ })
      .click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await page.getByRole('dialog').getByRole('button', { name: 'Löschen' }).click();
    await expect.poll(() => item()).toBeUndefined();
    await expect.poll(() => row(pages.mv).count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('action-new-title');
    await pages.sh.context().close();
    await pages.mv.context().close();
  });
});

describe('a long action list', () => {
  const count = 400;
  let longId: string;
  let longList: SyncClient;
  let page: Page;
  const built = () => page.locator('tr[data-item-id]');
  const rowAt = (index: number) => page.locator(`tr[data-item-id][aria-rowindex="${index}"]`);
  const lastBuiltIndex = () =>
    page.$$eval('tr[data-item-id]', (rows) =>
      Math.max(...rows.map((row) => Number(row.getAttribute('aria-rowindex')))),
    );

  beforeAll(async () => {
    const roomId = (await web.api.get(`/api/documents/${listId}`)).json.room.id;
    longId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmenkatalog' })).json
      .document.id;
    longList = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, longId);
    await longList.synced();
    const actions = actionListOf(longList.doc);
    longList.doc.transact(() => {
      for (let n = 1; n <= count; n += 1) actions.addItem({ title: `Maßnahme ${n}`, order: n });
    });
    page = await freshPage(web);
    await page.request.post(web.url('/api/auth/login'), { data: people.sh });
    await page.goto(web.url(`/documents/${longId}`));
    await untilLive(page);
    await rowAt(2).waitFor();
  }, 60_000);

  afterAll(async () => {
    longList?.destroy();
    await page?.context().close();
  });

  it('builds the rows near the window and tells assistive technology the whole count', async () => {
    expect(await page.locator('table.action-table').getAttribute('aria-rowcount')).toBe(String(count + 1));
    expect(await built().count()).toBeLessThan(60);
    expect(await rowAt(2).locator('[data-field="title"]').inputValue()).toBe('Maßnahme 1');
    // The page is as long as the whole table: jumping to its end shows the last action.
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => rowAt(count + 1).count()).toBe(1);
    expect(
      await rowAt(count + 1)
        .locator('[data-field="title"]')
        .inputValue(),
    ).toBe(`Maßnahme ${count}`);
    expect(await rowAt(2).count()).toBe(0);
    // Every row keeps the stripe it has in the whole table.
    const shade = (index: number) =>
      rowAt(index)
        .locator('th')
        .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    const [even, odd] = [await shade(count), await shade(count + 1)];
    expect(even).not.toBe(odd);
    await page.evaluate(() => scrollTo(0, 0));
    await expect.poll(() => rowAt(2).count()).toBe(1);
    expect([await shade(2), await shade(3)]).toEqual([even, odd]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('keeps the row being typed in, wherever one scrolls, and moves on with the Tab key', async () => {
    const title = rowAt(2).locator('[data-field="title"]');
    await title.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' (Entwurf)');
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => rowAt(count + 1).count()).toBe(1);
    // Not committed yet, and still there with focus and caret.
    expect(await title.inputValue()).toBe('Maßnahme 1 (Entwurf)');
    expect(await title.evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => actionListOf(longList.doc).items()[0]?.title).toBe('Maßnahme 1 (Entwurf)');

    // From the last control of the last row built, Tab reaches the next row: the window follows.
    await page.evaluate(() => scrollTo(0, 0));
    await expect.poll(() => rowAt(2).count()).toBe(1);
    const edge = await lastBuiltIndex();
    await rowAt(edge)
      .getByRole('button', { name: /^Löschen/ })
      .focus();
    await expect.poll(() => rowAt(edge + 1).count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('aria-rowindex'))).toBe(
      String(edge + 1),
    );
  });

  it('keeps focus and caret in a row far down while one scrolls above it and back', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.evaluate(() => scrollTo({ top: document.documentElement.scrollHeight * 0.7, behavior: 'instant' }));
    await expect.poll(lastBuiltIndex).toBeGreaterThan(250);
    const middle = (await lastBuiltIndex()) - 10;
    const title = rowAt(middle).locator('[data-field="title"]');
    await title.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' (Mitte)');
    // Above it, below it and in between, where other rows and spacers come and go around it.
    for (const part of [0, 0.3, 0.5, 0.1, 0.95, 0.4, 0.2]) {
      await page.evaluate(
        (part) => scrollTo({ top: document.documentElement.scrollHeight * part, behavior: 'instant' }),
        part,
      );
      if (part === 0) await expect.poll(() => rowAt(2).count()).toBe(1);
      await page.waitForTimeout(150);
      expect(await title.evaluate((input) => input === document.activeElement)).toBe(true);
    }
    await page.keyboard.type('!');
    await page.keyboard.press('Enter');
    const expected = `Maßnahme ${middle - 1} (Mitte)!`;
    await expect.poll(() => actionListOf(longList.doc).items()[middle - 2]?.title).toBe(expected);
  });

  it('prints every action, not only the rows near the window', async () => {
    // Registered after the page's own listener: it sees the table as the browser prints it.
    await page.evaluate(() =>
      addEventListener(
        'beforeprint',
        () => ((window as any).__printedRows = document.querySelectorAll('tr[data-item-id]').length),
        { once: true },
      ),
    );
    await page.pdf({ pageRanges: '1' });
    expect(await page.evaluate(() => (window as any).__printedRows)).toBe(count);
    await expect.poll(() => built().count()).toBeLessThan(60);
  });

  it('builds every row at once when asked to', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.getByLabel('Alle Zeilen auf einmal aufbauen').check();
    await expect.poll(() => built().count()).toBe(count);
    expect(await page.locator('table.action-table').getAttribute('aria-rowcount')).toBeNull();
    await page.getByLabel('Alle Zeilen auf einmal aufbauen').uncheck();
    await expect.poll(() => built().count()).toBeLessThan(60);
  });

  it('keeps the whole list in this browser for offline use soon after the first visit', async () => {
    const visitor = await freshPage(web);
    const context = visitor.context();
    try {
      // The server's messages come a moment late, so the local copy is open before the whole
      // list arrives in the first sync, and has to store it from there.
      await context.routeWebSocket(/\/sync\//, (socket) => {
        const server = socket.connectToServer();
        server.onMessage((message) => setTimeout(() => socket.send(message), 1_000));
      });
      await visitor.request.post(web.url('/api/auth/login'), { data: people.sh });
      await visitor.goto(web.url(`/documents/${longId}`));
      await expect
        .poll(() => visitor.locator('table.action-table').getAttribute('aria-rowcount'), { timeout: 15_000 })
        .toBe(String(count + 1));
      const stored = () =>
        visitor.evaluate(async (name) => {
          // Opened before the page opens it (the list shows before its scripts run), the probe
          // would create the database itself, without the page's object store.
          if (!(await indexedDB.databases()).some((db) => db.name === name)) return 0;
          return new Promise<number>((resolve) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => {
              const db = request.result;
              const all = db.transaction('updates').objectStore('updates').getAll();
              all.onsuccess = () => {
                resolve((all.result as Uint8Array[]).reduce((sum, update) => sum + update.byteLength, 0));
                db.close();
              };
            };
          });
        }, `nordraum-${longId}`);
      await expect.poll(stored, { timeout: 15_000 }).toBeGreaterThan(10_000);
      await waitUntilKeptOffline(visitor);
      await context.setOffline(true);
      await visitor.reload();
      await expect
        .poll(() => visitor.locator('table.action-table').getAttribute('aria-rowcount'))
        .toBe(String(count + 1));
    } finally {
      await context.close();
    }
  }, 60_000);
});
