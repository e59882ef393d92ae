import { notesText } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seriousViolations } from '../helpers/browser.ts';
import { connectClient, type SyncClient } from '../helpers/sync.ts';
import { personInBrowser, selectText, startWeb, untilLive, type WebFixture } from './web-support.ts';

// Suggested changes as a review works: an MV commenter proposes new words for a passage of an SH
// protocol without being able to write it; the SH editor accepts; everyone reading sees the text.

const password = 'Vorschlag-Passwort 2026';
const people = {
  editor: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  commenter: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
  reader: { email: 'vera.voss@sh.example', name: 'Vera Voss', org: 'SH', password },
};

let web: WebFixture;
let documentId: string;
let owner: SyncClient;
beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  const roomId: string = (await web.api.post('/api/rooms', { name: 'AG Register' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${ids.editor}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${ids.commenter}`, { role: 'commenter' });
  await web.api.put(`/api/rooms/${roomId}/members/${ids.reader}`, { role: 'viewer' });
  documentId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll SH' })).json
    .document.id;
  owner = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, documentId);
  await owner.synced();
  const lines = ['Workshop zur Registermodernisierung in beiden Ländern.', 'Nächster Termin im März.'];
  owner.doc.getXmlFragment('default').insert(
    0,
    lines.map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
}, 120_000);
afterAll(async () => {
  owner?.destroy();
  await web?.close();
});

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');
const notes = (page: Page) => page.locator('.ProseMirror');

async function propose(page: Page, words: string, replacement: string, reason: string) {
  await selectText(page, words);
  await page.getByRole('button', { name: 'Änderung vorschlagen' }).click();
  const field = page.locator('#new-suggestion-text');
  await expect.poll(() => field.inputValue()).toBe(words);
  await field.fill(replacement);
  await page.locator('#new-thread-body').fill(reason);
  await panel(page).getByRole('button', { name: 'Vorschlag senden' }).click();
}

describe('a suggested change in a protocol', () => {
  it('proposed by an MV commenter, accepted by the SH editor, reaches a third browser live', async () => {
    const editor = await personInBrowser(web, people.editor, documentId);
    const commenter = await personInBrowser(web, people.commenter, documentId);
    const reader = await personInBrowser(web, people.reader, documentId);
    await expect.poll(() => commenter.locator('.ProseMirror').textContent()).toContain('Registermodernisierung');

    await propose(commenter, 'Registermodernisierung', 'Verwaltungsdigitalisierung', 'So heißt es in MV.');

    // Inline in the editor's text: old words struck through, new ones underlined, who proposed it.
    const struck = editor.locator('del.suggestion-delete');
    await struck.waitFor({ timeout: 5_000 });
    expect(await struck.textContent()).toBe('Registermodernisierung');
    expect(await editor.locator('.suggestion-insert ins').textContent()).toBe('Verwaltungsdigitalisierung');
    expect(await editor.locator('.suggestion-author').textContent()).toBe('Bernd Berg · MV');
    expect(await editor.locator('.suggestion-insert .visually-hidden').textContent()).toBe(
      'Änderungsvorschlag von Bernd Berg (MV): „Registermodernisierung“ ersetzen durch „Verwaltungsdigitalisierung“.',
    );
    expect(await seriousViolations(editor)).toEqual([]);
    // The commenter may propose, not decide.
    await panel(commenter).getByText('So heißt es in MV.').waitFor();
    expect(await panel(commenter).getByRole('button', { name: 'Vorschlag übernehmen' }).count()).toBe(0);
    // Nor resolve the thread past the proposal: its author may withdraw it, the editor decides on it.
    expect(await panel(commenter).getByRole('button', { name: 'Als erledigt markieren' }).count()).toBe(0);
    expect(await panel(commenter).getByRole('button', { name: 'Vorschlag zurückziehen' }).count()).toBe(1);
    expect(await panel(editor).getByRole('button', { name: 'Als erledigt markieren' }).count()).toBe(0);

    await panel(editor).getByRole('button', { name: 'Vorschlag übernehmen' }).click();
    const accepted = 'Workshop zur Verwaltungsdigitalisierung in beiden Ländern.';
    await expect.poll(() => notes(reader).textContent(), { timeout: 5_000 }).toContain(accepted);
    await expect.poll(() => notes(commenter).textContent(), { timeout: 5_000 }).toContain(accepted);
    expect(await reader.locator('del.suggestion-delete').count()).toBe(0);
    await reader.getByText('Erledigt', { exact: true }).click();
    await panel(reader).getByText('Übernommen von Anna Ahrens').waitFor();
    expect(await seriousViolations(reader)).toEqual([]);
    // Its author hears of it in the inbox, with the link to the thread.
    await commenter.getByRole('button', { name: /Benachrichtigungen/ }).click();
    await commenter
      .getByRole('link', { name: /^Anna Ahrens hat Ihren Änderungsvorschlag in „.+“ angenommen$/ })
      .waitFor();
    await Promise.all([editor, commenter, reader].map((page) => page.done()));
  }, 120_000);

  it('says when the passage changed since, and asks the editor to confirm', async () => {
    const editor = await personInBrowser(web, people.editor, documentId);
    const commenter = await personInBrowser(web, people.commenter, documentId);
    await propose(commenter, 'im März', 'im April', 'Verschoben.');
    await panel(editor).getByText('Verschoben.').waitFor();

    // Someone edits inside the passage meanwhile.
    const second = (owner.doc.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText;
    second.insert('Nächster Termin im '.length, 'späten ');
    await panel(editor)
      .getByText('Die Stelle wurde seit dem Vorschlag geändert. Sie lautet jetzt: „im späten März“')
      .waitFor();

    await panel(editor).getByRole('button', { name: 'Vorschlag übernehmen' }).click();
    await panel(editor)
      .getByRole('alert')
      .getByText(/Übernehmen ersetzt die Stelle/)
      .waitFor();
    // Nothing is applied before the confirmation: the proposal still stands over the changed words.
    expect(await editor.locator('del.suggestion-delete').textContent()).toBe('im späten März');
    expect(await seriousViolations(editor)).toEqual([]);
    await panel(editor).getByRole('button', { name: 'Trotzdem übernehmen' }).click();
    await expect.poll(() => notes(commenter).textContent(), { timeout: 5_000 }).toContain('Nächster Termin im April.');
    await Promise.all([editor, commenter].map((page) => page.done()));
  }, 120_000);

  it('on words typed a moment ago waits for the server to have them instead of calling them deleted', async () => {
    const editor = await personInBrowser(web, people.editor);
    // The editor's edits reach the server only when the test lets them: a slow link, made certain.
    let held: (string | Buffer)[] | null = null;
    let release = () => {};
    await editor.routeWebSocket(/\/sync\//, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => socket.send(message));
      socket.onMessage((message) => (held ? held.push(message) : server.send(message)));
      release = () => {
        for (const message of held ?? []) server.send(message);
        held = null;
      };
    });
    await editor.goto(web.url(`/documents/${documentId}`));
    await untilLive(editor);

    held = [];
    await notes(editor).click();
    await editor.keyboard.press('Control+End');
    await editor.keyboard.press('Enter');
    await editor.keyboard.type('Abstimmung mit Dataport folgt.');
    const firstAnswer = editor.waitForResponse(
      (response) => response.request().method() === 'POST' && response.url().endsWith('/threads'),
    );
    await propose(editor, 'Abstimmung mit Dataport', 'Abstimmung mit DVZ M-V', 'Zuständigkeit prüfen.');
    // The server has not got the new paragraph: not there yet (409), not "deleted" (400).
    expect((await firstAnswer).status()).toBe(409);
    release();

    await panel(editor).getByText('Zuständigkeit prüfen.').waitFor({ timeout: 10_000 });
    expect(await panel(editor).getByRole('alert').count()).toBe(0);
    await expect.poll(() => notesText(owner.doc), { timeout: 5_000 }).toContain('Abstimmung mit Dataport folgt.');
    await editor.done();
  }, 120_000);
});
