import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, freshPage, openDocumentAs, startWeb, tabTo, type WebFixture } from './web-support.ts';

// The history of a notes document as people use it: name the state before a meeting, edit,
// see what changed, undo it, while a colleague in another browser watches the text come back.

const password = 'Historie-Passwort 2026';
const sh = { email: 'hanna.holm@sh.example', name: 'Hanna Holm', org: 'SH', password };
const mv = { email: 'malte.moeller@mv.example', name: 'Malte Möller', org: 'MV', password };

let fixture: WebFixture;
let documentId: string;

const editorOf = (page: Page) => page.locator('.ProseMirror');
const panelOf = (page: Page) => page.locator('section.history');

beforeAll(async () => {
  fixture = await startWeb();
  const ids = { sh: await fixture.createUser(sh), mv: await fixture.createUser(mv) };
  const { api } = fixture;
  const roomId = (await api.post('/api/rooms', { name: 'AG Historie SH–MV' })).json.room.id;
  for (const id of Object.values(ids)) await api.put(`/api/rooms/${roomId}/members/${id}`, { role: 'editor' });
  documentId = (await api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll LK' })).json
    .document.id;
}, 120_000);

afterAll(() => fixture?.close());

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
    await panelOf(page).getByRole('button', { name: /^View/ }).first().click();
    await page.getByTestId('history-version').waitFor();
    await checkPage(page, 'history-version-phone');
  }, 60_000);
});
