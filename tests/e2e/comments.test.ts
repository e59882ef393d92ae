import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seriousViolations } from '../helpers/browser.ts';
import { connectClient, untilCommitted } from '../helpers/sync.ts';
import { personInBrowser, selectText, startWeb, tabTo, type WebFixture } from './web-support.ts';

// Comments as people use them: an MV commenter on a passage of an SH protocol, the SH editor
// answering live with a mention, the mentioned reader following the notification's link.

const password = 'Kommentar-Passwort 2026';
const people = {
  editor: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  commenter: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
  reader: { email: 'vera.voss@sh.example', name: 'Vera Voss', org: 'SH', password },
};
const passage = 'Registermodernisierung';

let web: WebFixture;
let documentId: string;
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
  const writer = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, documentId);
  await writer.synced();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(`Workshop zur ${passage} in beiden Ländern.`)]);
  writer.doc.getXmlFragment('default').insert(0, [paragraph]);
  await untilCommitted({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, documentId, writer.doc);
  writer.destroy();
}, 120_000);
afterAll(() => web?.close());

const asPerson = (person: { email: string; password: string }, documentId?: string) =>
  personInBrowser(web, person, documentId);

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');

describe('comments on a protocol', () => {
  it('carries a comment on a passage to the editor live, and a reply with a mention to the reader', async () => {
    const editor = await asPerson(people.editor, documentId);
    const commenter = await asPerson(people.commenter, documentId);
    await expect.poll(() => commenter.locator('.ProseMirror').textContent()).toContain(passage);

    await selectText(commenter, passage);
    await commenter.getByRole('button', { name: 'Markierte Stelle kommentieren' }).click();
    await commenter.locator('#new-thread-body').fill('Ist hier auch MV gemeint?');
    const sentAt = Date.now();
    await panel(commenter).getByRole('button', { name: 'Kommentieren', exact: true }).click();

    // The editor sees the marker on the passage and the comment, without reloading.
    await editor.locator('.comment-marker').waitFor({ timeout: 5_000 });
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(await editor.locator('.comment-marker').getAttribute('aria-label')).toBe('1 offene Kommentare');
    expect(await editor.locator('.comment-anchor').textContent()).toBe(passage);
    await panel(editor).getByText('Ist hier auch MV gemeint?').waitFor();
    await panel(editor).getByText(`Zur Stelle: „${passage}“`).waitFor();

    // Reply with a mention picked from the people who may read the document.
    await panel(editor).getByRole('button', { name: 'Antworten', exact: true }).first().click();
    const reply = panel(editor).locator('textarea[id^="reply-"]');
    await reply.focus();
    await editor.keyboard.type('Ja, bitte @Ver');
    await panel(editor)
      .getByRole('option', { name: /Vera Voss/ })
      .waitFor();
    await editor.keyboard.press('Enter');
    await editor.keyboard.type('ansehen.');
    expect(await reply.inputValue()).toMatch(/^Ja, bitte @\[Vera Voss\]\([0-9a-f-]{36}\) ansehen\.$/);
    await panel(editor).getByRole('button', { name: 'Antworten', exact: true }).first().click();
    await panel(commenter).getByText('@Vera Voss').waitFor();

    // The reader is told in the header, and the link opens the passage.
    const reader = await asPerson(people.reader);
    await reader.goto(web.url('/rooms'));
    const inbox = reader.getByRole('button', { name: /Benachrichtigungen/ });
    // Being added to the room, and the mention.
    await expect.poll(() => inbox.textContent()).toContain('2 ungelesen');
    await inbox.click();
    const link = reader.getByRole('link', { name: 'Anna Ahrens hat Sie in „Protokoll SH“ erwähnt' });
    expect(await seriousViolations(reader)).toEqual([]);
    await link.click();
    await reader.waitForURL(/\/documents\/.*\?thread=/);
    await reader.locator('.comment-marker').waitFor();
    // The thread has the focus, and the passage is highlighted on screen.
    await expect.poll(() => reader.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^thread-/);
    await expect
      .poll(() =>
        reader.locator('.comment-anchor').evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await expect.poll(() => inbox.textContent()).toContain('1 ungelesen');
    expect(await seriousViolations(reader)).toEqual([]);
    await Promise.all([editor, commenter, reader].map((page) => page.done()));
  }, 120_000);

  it('lets a commenter comment with the keyboard alone', async () => {
    const commenter = await asPerson(people.commenter, documentId);
    const field = commenter.locator('#new-thread-body');
    await tabTo(commenter, field);
    await commenter.keyboard.type('Per Tastatur geschrieben');
    await commenter.keyboard.press('Tab');
    await commenter.keyboard.press('Enter');
    await panel(commenter).getByText('Per Tastatur geschrieben').waitFor();
    expect(await seriousViolations(commenter)).toEqual([]);
    await commenter.done();
  }, 60_000);
});
