import { actionListOf, roadmapOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  checkPage,
  freshPage,
  openDocumentAs,
  type RoomWithLists,
  roomWithLists,
  startWeb,
  tabTo,
  type WebFixture,
} from './web-support.ts';

// The history of a notes document as people use it: name the state before a meeting, edit,
// see what changed, undo it, while a colleague in another browser watches the text come back.

const password = 'Historie-Passwort 2026';
const sh = { email: 'hanna.holm@sh.example', name: 'Hanna Holm', org: 'SH', password };
const mv = { email: 'malte.moeller@mv.example', name: 'Malte Möller', org: 'MV', password };

let fixture: WebFixture;
let documentId: string;
let lists: RoomWithLists | undefined;
let mvId: string;

const editorOf = (page: Page) => page.locator('.ProseMirror');
const panelOf = (page: Page) => page.locator('section.history');

beforeAll(async () => {
  fixture = await startWeb();
  const ids = { sh: await fixture.createUser(sh), mv: await fixture.createUser(mv) };
  mvId = ids.mv;
  const { api } = fixture;
  const roomId = (await api.post('/api/rooms', { name: 'AG Historie SH–MV' })).json.room.id;
  for (const id of Object.values(ids)) await api.put(`/api/rooms/${roomId}/members/${id}`, { role: 'editor' });
  documentId = (await api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll LK' })).json
    .document.id;
}, 120_000);

afterAll(async () => {
  lists?.roadmap.destroy();
  lists?.list.destroy();
  await fixture?.close();
});

/** The server's committed state of a document. */
async function committed(id: string): Promise<Y.Doc> {
  const response = await fetch(fixture.url(`/api/documents/${id}/state`), {
    headers: { cookie: fixture.api.cookie ?? '' },
  });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return doc;
}

/** Names the current state of a document through the API; answers the version's id. */
async function nameVersion(id: string, name: string): Promise<string> {
  const { status, json } = await fixture.api.post(`/api/documents/${id}/versions`, { name });
  expect(status).toBe(201);
  return json.version.id;
}

describe('the history panel', () => {
  it('names a version, compares with marks, restores it live for a second browser', async () => {
    const [page, other] = [
      await openDocumentAs(fixture, sh, documentId),
      await openDocumentAs(fixture, mv, documentId),
    ];
    await editorOf(page).click();
    await page.keyboard.type('Stand für den Lenkungskreis');
    await expect.poll(() => editorOf(other).innerText()).toContain('Stand für den Lenkungskreis');

    await page.locator('#history-name').fill('Stand Lenkungskreis 12.03.');
    await panelOf(page).getByRole('button', { name: 'Aktuellen Stand als Version speichern' }).click();
    await expect.poll(() => page.getByTestId('history-status').innerText()).toContain('gespeichert');
    // The colleague's list shows it without a reload.
    await expect
      .poll(() => panelOf(other).locator('li.version').allInnerTexts())
      .toEqual([expect.stringContaining('Stand Lenkungskreis 12.03.')]);

    await editorOf(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' und Übergabe an MV');
    await expect.poll(() => editorOf(other).innerText()).toContain('Übergabe an MV');

    await panelOf(page)
      .getByRole('button', { name: /Mit aktuellem Stand vergleichen/ })
      .click();
    const inserted = page.getByTestId('history-changes').locator('ins');
    await expect.poll(() => inserted.allInnerTexts()).toEqual([expect.stringContaining('Übergabe an MV')]);
    expect(await inserted.first().evaluate((element) => getComputedStyle(element).textDecorationLine)).toBe(
      'underline',
    );
    expect(await inserted.locator('.visually-hidden').first().textContent()).toBe('eingefügt: ');
    expect(await page.getByTestId('history-summary').innerText()).toMatch(/1 hinzugefügt/);
    await checkPage(page, 'history-compare');

    await panelOf(page)
      .getByRole('button', { name: /^Wiederherstellen/ })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Wiederherstellen' }).click();
    await expect.poll(() => page.getByTestId('history-status').innerText()).toContain('wiederhergestellt');
    // The other browser gets the restored text live, over the connection it has.
    await expect.poll(() => editorOf(other).innerText()).toBe('Stand für den Lenkungskreis');
    await expect.poll(() => editorOf(page).innerText()).toBe('Stand für den Lenkungskreis');
    // ... and the version kept before the restore in its list.
    await expect.poll(() => panelOf(other).locator('li.version[data-kind="restore"]').count()).toBe(1);
    await checkPage(page, 'history-panel');

    // The filter, by keyboard: the version kept before the restore has no name.
    await expect.poll(() => panelOf(page).locator('li.version').count()).toBe(2);
    const filter = page.locator('#history-named-only');
    await tabTo(page, filter);
    await page.keyboard.press('Space');
    await expect.poll(() => panelOf(page).locator('li.version').count()).toBe(1);
  }, 120_000);

  it('speaks English and is clean for axe at phone width', async () => {
    // Its own version, whatever the test before left.
    await fixture.api.post(`/api/documents/${documentId}/versions`, { name: 'Stand für die Ansicht' });
    const page = await freshPage(fixture);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.request.post(fixture.url('/api/auth/login'), { data: sh });
    expect((await page.request.patch(fixture.url('/api/me'), { data: { locale: 'en' } })).status()).toBe(200);
    await page.goto(fixture.url(`/documents/${documentId}`));
    await panelOf(page).getByRole('heading', { name: 'Versions' }).waitFor();
    await panelOf(page).getByRole('link', { name: /^View/ }).first().click();
    await page.getByTestId('history-version').locator('.ProseMirror').waitFor();
    await checkPage(page, 'history-version-phone');
  }, 60_000);

  it('shows a version in the notes editor, read-only, with a way back to the live text', async () => {
    // Malte: Hanna reads English since the test before.
    const page = await openDocumentAs(fixture, mv, documentId);
    const versionId = await nameVersion(documentId, 'Stand vor der Ergänzung');
    await editorOf(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' – ergänzt danach');

    await page.reload();
    const link = panelOf(page).getByRole('link', { name: /^Ansehen.*Stand vor der Ergänzung/ });
    await link.click();
    await page.waitForURL((url) => url.searchParams.get('version') === versionId);
    const shown = page.getByTestId('history-version');
    await expect.poll(() => shown.getByRole('status').first().innerText()).toContain('Stand vor der Ergänzung');
    const text = shown.locator('.ProseMirror');
    await expect.poll(() => text.innerText()).toBe('Stand für den Lenkungskreis');
    expect(await text.getAttribute('contenteditable')).toBe('false');
    expect(await text.getAttribute('aria-readonly')).toBe('true');
    // One editor on the page, the version's: the live one and its connection are not opened.
    expect(await page.locator('.ProseMirror').count()).toBe(1);
    expect(await page.locator('[data-status]').count()).toBe(0);
    await checkPage(page, 'history-version-notes');

    await shown.getByRole('link', { name: 'Zurück zum aktuellen Stand' }).click();
    await expect.poll(() => editorOf(page).innerText()).toContain('ergänzt danach');
    expect(await editorOf(page).getAttribute('contenteditable')).toBe('true');
  }, 90_000);

  it('shows a version of a roadmap in its timeline and of an action list in its table', async () => {
    lists = await roomWithLists(
      fixture,
      { room: 'AG Historie Listen', roadmap: 'Roadmap Historie', list: 'Maßnahmen Historie' },
      { [mvId]: 'editor' },
    );
    const roadmap = roadmapOf(lists.roadmap.doc);
    roadmap.initialise();
    const milestoneId = roadmap.addMilestone({
      themeId: 'theme-ki',
      title: 'KI-Pilot wie beschlossen',
      start: '2027-01-04',
      end: '2027-03-26',
      lead: 'SH',
    });
    const actions = actionListOf(lists.list.doc);
    const itemId = actions.addItem({ title: 'Drehbuch wie beschlossen', organization: 'MV' });
    // A version is of the committed state: wait until the server has both edits.
    await expect
      .poll(async () => roadmapOf(await committed(lists!.roadmapId)).milestone(milestoneId)?.title)
      .toBe('KI-Pilot wie beschlossen');
    await expect
      .poll(async () => actionListOf(await committed(lists!.listId)).item(itemId)?.title)
      .toBe('Drehbuch wie beschlossen');
    const roadmapVersion = await nameVersion(lists.roadmapId, 'Roadmap wie beschlossen');
    const listVersion = await nameVersion(lists.listId, 'Liste wie beschlossen');
    roadmap.updateMilestone(milestoneId, { title: 'KI-Pilot später geändert' });
    actions.updateItem(itemId, { title: 'Drehbuch später geändert' });

    const page = await freshPage(fixture);
    await page.request.post(fixture.url('/api/auth/login'), { data: mv });
    await page.goto(fixture.url(`/documents/${lists.roadmapId}?version=${roadmapVersion}`));
    const shown = page.getByTestId('history-version');
    const bar = shown.locator(`[data-milestone-id="${milestoneId}"]`).first();
    await expect.poll(() => bar.textContent()).toContain('KI-Pilot wie beschlossen');
    // Read-only: no button to add a milestone, no export of the live roadmap.
    expect(await shown.getByRole('button', { name: 'Meilenstein anlegen' }).count()).toBe(0);
    await checkPage(page, 'history-version-roadmap');

    await page.goto(fixture.url(`/documents/${lists.listId}?version=${listVersion}`));
    const row = page.getByTestId('history-version').locator(`tr[data-item-id="${itemId}"]`);
    await expect.poll(() => row.innerText()).toContain('Drehbuch wie beschlossen');
    expect(await row.locator('input, select, textarea').count()).toBe(0);
    await checkPage(page, 'history-version-actions');
  }, 120_000);
});
