import { maxDocumentComments } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/app.ts';
import { seriousViolations } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { personInBrowser, startWeb, type WebFixture } from './web-support.ts';

// What the comment form says when the server refuses a comment for one of its limits: the
// document holds the most comments it may, or its writer wrote too many in a short time.

const password = 'Grenzen-Passwort 2026';
const people = {
  full: { email: 'frida.fuchs@mv.example', name: 'Frida Fuchs', org: 'MV', password },
  quick: { email: 'otto.ohm@sh.example', name: 'Otto Ohm', org: 'SH', password },
};

let database: TestDatabase;
let web: WebFixture;
let fullId: string;
let openId: string;
beforeAll(async () => {
  // A database of the test's own, so that the full document can be filled past the API.
  database = await createTestDatabase();
  web = await startWeb({ DATABASE_URL: database.url, NORDRAUM_COMMENTS_PER_MINUTE: '3' });
  const roomId: string = (await web.api.post('/api/rooms', { name: 'AG Grenzen' })).json.room.id;
  for (const person of Object.values(people)) {
    const id = await web.createUser(person);
    await web.api.put(`/api/rooms/${roomId}/members/${id}`, { role: 'commenter' });
  }
  const create = async (title: string) =>
    (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title })).json.document.id as string;
  fullId = await create('Volle Liste');
  openId = await create('Offene Liste');
  // One resolved thread holds every comment (the panel shows open threads first, so the page
  // stays light): written directly, past the search trigger, thousands of requests would be slow.
  const opened = await web.api.post(`/api/documents/${fullId}/threads`, {
    body: 'Erster',
    anchor: { type: 'document' },
  });
  const threadId: string = opened.json.thread.id;
  expect((await web.api.patch(`/api/threads/${threadId}`, { resolved: true })).status).toBe(200);
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`
      insert into comment (thread_id, author_id, body)
      select ${threadId}, author_id, 'Kommentar ' || n from comment, generate_series(1, ${maxDocumentComments - 1}) as n
      where thread_id = ${threadId}`);
  });
}, 120_000);
afterAll(async () => {
  await web?.close();
  await database?.drop();
});

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');

async function comment(page: Page, body: string) {
  await page.locator('#new-thread-body').fill(body);
  await panel(page).getByRole('button', { name: 'Kommentieren', exact: true }).click();
}

describe('the comment form at a limit', () => {
  it('says that the document holds the most comments it may', async () => {
    const page = await personInBrowser(web, people.full, fullId);
    await comment(page, 'Noch eine Frage');
    const said = page.locator('#new-thread-error');
    await said.waitFor();
    expect(await said.textContent()).toContain('Dieses Dokument hat die Höchstzahl von 5.000 Kommentaren erreicht.');
    expect(await page.locator('#new-thread-body').getAttribute('aria-describedby')).toContain('new-thread-error');
    expect(await seriousViolations(page)).toEqual([]);
    await page.done();
  }, 60_000);

  it('says how long to wait when its writer wrote too many in a short time', async () => {
    const api = new ApiClient(web.server.url);
    await api.login(people.quick.email, people.quick.password);
    for (let n = 1; n <= 3; n += 1) {
      const written = await api.post(`/api/documents/${openId}/threads`, {
        body: `Frage ${n}`,
        anchor: { type: 'document' },
      });
      expect(written.status).toBe(201);
    }
    const page = await personInBrowser(web, people.quick, openId);
    await comment(page, 'Und noch eine');
    const said = page.locator('#new-thread-error');
    await said.waitFor();
    expect(await said.textContent()).toMatch(
      /Sie haben in kurzer Zeit sehr viele Kommentare geschrieben\. Bitte warten Sie \d+ Sekunden?, bevor Sie weiter kommentieren\./,
    );
    // The text stays in the field, to be sent once the wait is over.
    expect(await page.locator('#new-thread-body').inputValue()).toBe('Und noch eine');
    expect(await seriousViolations(page)).toEqual([]);
    await page.done();
  }, 60_000);
});
