import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/browser.ts';
import { personInBrowser, startWeb, tabTo, type WebFixture } from './web-support.ts';

// A document with more threads than are drawn as full cards at once: every thread still has its
// card (a summary until needed), a summary opens into the full card by keyboard and by scrolling.

const THREADS = 40;
const password = 'Lange-Liste-Passwort 2026';
const commenter = { email: 'lena.lund@mv.example', name: 'Lena Lund', org: 'MV', password };

let web: WebFixture;
let documentId: string;
beforeAll(async () => {
  // The threads are all the admin's, written faster than the 30 a minute a person may.
  web = await startWeb({ NORDRAUM_COMMENTS_PER_MINUTE: '1000' });
  const id = await web.createUser(commenter);
  const roomId: string = (await web.api.post('/api/rooms', { name: 'AG Lange Liste' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${id}`, { role: 'commenter' });
  documentId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Viele Fragen' })).json
    .document.id;
  for (let i = 1; i <= THREADS; i += 1) {
    const answer = await web.api.post(`/api/documents/${documentId}/threads`, {
      body: `Frage ${i} an die Arbeitsgruppe`,
      anchor: { type: 'document' },
    });
    expect(answer.status).toBe(201);
  }
}, 120_000);
afterAll(() => web?.close());

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');
const cards = (page: Page) => panel(page).locator('[id^="thread-"]');
const summaries = (page: Page) => panel(page).locator('[data-summary]');

describe('a long list of threads', () => {
  it('shows every thread, and opens a summary into its full card by keyboard and by scrolling', async () => {
    const page = await personInBrowser(web, commenter, documentId);
    await expect.poll(() => cards(page).count(), { timeout: 15_000 }).toBe(THREADS);
    // The cards far below the view are summaries: author, date and the comment's words, no controls.
    await expect.poll(() => summaries(page).count()).toBeGreaterThan(0);
    const last = summaries(page).last();
    const lastId = (await last.getAttribute('data-summary'))!;
    expect(await last.textContent()).toMatch(/Frage \d+ an die Arbeitsgruppe/);
    expect(await last.locator('time').count()).toBe(1);
    expect(await last.getByRole('button', { name: 'Antworten' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard: the summary's button is reached with Tab, and the full card takes the focus.
    const summaryId = (await summaries(page).first().getAttribute('data-summary'))!;
    const button = summaries(page)
      .first()
      .getByRole('button', { name: /^Diskussion öffnen/ });
    await button.focus();
    await page.keyboard.press('Enter');
    const card = page.locator(`#thread-${summaryId}`);
    await card.getByRole('button', { name: 'Antworten' }).waitFor({ timeout: 5_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`thread-${summaryId}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await tabTo(page, card.locator('textarea'));
    await page.keyboard.type('Antwort per Tastatur');
    await card.getByRole('button', { name: 'Antworten' }).last().press('Enter');
    await card.getByText('Antwort per Tastatur').waitFor({ timeout: 5_000 });

    // Scrolling: the last thread's card becomes full as it comes into view.
    await page.locator(`#thread-${lastId}`).scrollIntoViewIfNeeded();
    await page.locator(`#thread-${lastId}`).getByRole('button', { name: 'Antworten' }).waitFor({ timeout: 5_000 });
    expect(await cards(page).count()).toBe(THREADS);
    expect(await seriousViolations(page)).toEqual([]);
    await page.done();
  }, 90_000);
});
