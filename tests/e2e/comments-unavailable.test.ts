import { actionListOf } from '@nordraum/domain';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_LIST_TIMEOUT_MS } from '../../apps/web/src/lib/comments/stream-timing.ts';
import { ApiClient } from '../helpers/app.ts';
import { seriousViolations } from '../helpers/browser.ts';
import { type EventStream, openEvents } from '../helpers/events.ts';
import { freshPage, type RoomWithLists, roomWithLists, startWeb, untilLive, type WebFixture } from './web-support.ts';

// The comments come over their own event stream. When it cannot be had (the person holds the most
// streams allowed open, or it never arrives, as on a page from the offline cache), the page must
// say so and offer to try again, not claim forever that the comments are loading. The stream
// carries the header's unread count too: the header must not wait on a stream that failed.

const person = { email: 'greta.gross@ni.example', name: 'Greta Groß', org: 'NI', password: 'Strom-Passwort 2026' };

const streamCap = 4;

let web: WebFixture;
let room: RoomWithLists;
let actionId: string;
beforeAll(async () => {
  // Four streams per person (and /sync sockets, counted apart), so that four held elsewhere leave
  // none for the page.
  web = await startWeb({ NORDRAUM_SYNC_MAX_CONNECTIONS_PER_USER: String(streamCap) });
  const id = await web.createUser(person);
  room = await roomWithLists(
    web,
    { room: 'AG Verbindungen', roadmap: 'Roadmap Verbindungen', list: 'Maßnahmen Verbindungen' },
    { [id]: 'commenter' },
  );
  actionId = actionListOf(room.list.doc).addItem({ title: 'Leitung prüfen', organization: 'NI' });
}, 120_000);
afterAll(async () => {
  room?.roadmap.destroy();
  room?.list.destroy();
  await web?.close();
});

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');
const notice = (page: Page) => panel(page).getByText('Die Kommentare konnten nicht geladen werden.');
const paused = (page: Page) => panel(page).getByText('Die Kommentare werden gerade nicht live aktualisiert.');
/** The header's unread count (Greta was added to the room: one notification). */
const unreadCount = (page: Page) => page.locator('.inbox__count').getByText('1 ungelesen');
const rowButton = (page: Page) => page.locator(`tr[data-item-id="${actionId}"] .comment-button`);

async function openList() {
  const page = await freshPage(web);
  expect((await page.request.post(web.url('/api/auth/login'), { data: person })).status()).toBe(200);
  return page;
}

/**
 * Tries again from the notice until the threads are there: a stream closed elsewhere may take a
 * moment to count as closed, and a stream held back may arrive of itself (then the notice goes
 * before it is pressed).
 */
async function retryUntilLoaded(page: Page) {
  const retry = panel(page).getByRole('button', { name: 'Erneut versuchen' });
  await expect
    .poll(async () => {
      if (await retry.isVisible()) await retry.click({ timeout: 1_000 }).catch(() => undefined);
      return rowButton(page).getAttribute('data-open-threads');
    })
    .toBe('0');
}

/** What the page says about the comments while they are not there. */
async function expectUnavailable(page: Page) {
  await notice(page).waitFor({ timeout: 30_000 });
  expect(await panel(page).locator('.comments__list').getAttribute('aria-busy')).toBe('false');
  expect(await rowButton(page).textContent()).not.toContain('Kommentare werden geladen');
  await page.getByRole('button', { name: 'Kommentieren: Leitung prüfen, Kommentare nicht verfügbar' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
}

describe('comments whose stream cannot be had', () => {
  it('are said to be unavailable past the cap of open streams, and load on trying again', async () => {
    const elsewhere = new ApiClient(web.server.url);
    await elsewhere.login(person.email, person.password);
    const held: EventStream[] = [];
    for (let n = 0; n < streamCap; n += 1) {
      const stream = await openEvents(elsewhere, '/api/notifications/events');
      expect(stream.status).toBe(200);
      held.push(stream);
    }
    const page = await openList();
    const refused = page.waitForResponse((response) => response.url().endsWith(`/api/documents/${room.listId}/events`));
    await page.goto(web.url(`/documents/${room.listId}`));
    expect((await refused).status()).toBe(429);
    await untilLive(page);
    await expectUnavailable(page);
    // The header's own stream is refused too (the cap counts every stream): it asks by request.
    await unreadCount(page).waitFor();

    for (const stream of held) stream.close();
    await retryUntilLoaded(page);
    expect(await notice(page).count()).toBe(0);
    await page.getByRole('button', { name: 'Kommentieren: Leitung prüfen, 0 offene Kommentare' }).waitFor();
    await page.context().close();
  }, 120_000);

  it('are said to be unavailable when the stream never arrives, and load on trying again', async () => {
    const page = await openList();
    // Held back for good, as when the page came from the offline cache and the network is gone.
    const held: Route[] = [];
    await page.route(`**/api/documents/${room.listId}/events`, (route) => {
      held.push(route);
    });
    // The page's clock is wound on past the wait for the list rather than waited out.
    await page.clock.install();
    await page.goto(web.url(`/documents/${room.listId}`));
    await untilLive(page);
    await page.getByRole('button', { name: 'Kommentieren: Leitung prüfen, Kommentare werden geladen' }).waitFor();
    expect(await unreadCount(page).count()).toBe(0);
    await page.clock.fastForward(FIRST_LIST_TIMEOUT_MS);
    await expectUnavailable(page);
    expect(held.length).toBeGreaterThan(0);
    // The header no longer waits on the held stream: it follows its own.
    await unreadCount(page).waitFor();

    // Pressed before the held stream is let go, so that the stream asked for again is the one that loads.
    await panel(page).getByRole('button', { name: 'Erneut versuchen' }).click();
    await page.unroute(`**/api/documents/${room.listId}/events`);
    await retryUntilLoaded(page);
    expect(await notice(page).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('are said to be no longer live when the stream is refused after the list came, which stays shown', async () => {
    const page = await openList();
    // The list comes, in streams that end at once (the browser asks again after 200 ms), until
    // the stream is refused as past the cap of open streams.
    let refuse = false;
    await page.route(`**/api/documents/${room.listId}/events`, async (route) => {
      if (refuse) {
        await route.fulfill({
          status: 429,
          contentType: 'application/json',
          body: '{"error":{"code":"rate_limited"}}',
        });
        return;
      }
      const listed = await page.request.get(web.url(`/api/documents/${room.listId}/threads`));
      await route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: `retry: 200\n\nevent: threads\ndata: ${JSON.stringify(await listed.json())}\n\n`,
      });
    });
    await page.goto(web.url(`/documents/${room.listId}`));
    await untilLive(page);
    await page.getByRole('button', { name: 'Kommentieren: Leitung prüfen, 0 offene Kommentare' }).waitFor();
    refuse = true;
    await paused(page).waitFor();
    expect(await notice(page).count()).toBe(0);
    expect(await panel(page).getByText('Die Liste zeigt den Stand beim letzten Laden').count()).toBe(1);
    // The list stays, and the header's count comes from its own stream instead.
    await page.getByRole('button', { name: 'Kommentieren: Leitung prüfen, 0 offene Kommentare' }).waitFor();
    await unreadCount(page).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.unroute(`**/api/documents/${room.listId}/events`);
    await panel(page).getByRole('button', { name: 'Erneut versuchen' }).click();
    await paused(page).waitFor({ state: 'detached' });
    await page.context().close();
  }, 120_000);
});
