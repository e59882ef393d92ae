import { actionListOf, roadmapOf } from '@nordraum/domain';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/browser.ts';
import {
  freshPage,
  personInBrowser,
  type RoomWithLists,
  roomWithLists,
  startWeb,
  untilLive,
  type WebFixture,
} from './web-support.ts';

// Comments on a milestone of a roadmap and on an action of an action list: each row carries a
// button with its number of open threads, which opens the comment panel for that row.

const password = 'Zeilen-Kommentar 2026';
const people = {
  editor: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  commenter: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
};

let web: WebFixture;
let room: RoomWithLists;
let milestoneId: string;
let actionId: string;
let editorId: string;
beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  editorId = ids.editor!;
  room = await roomWithLists(
    web,
    { room: 'AG IT-Resilienz', roadmap: 'Roadmap IT-Resilienz', list: 'Maßnahmen Notfallübung' },
    { [ids.editor!]: 'editor', [ids.commenter!]: 'commenter' },
  );
  roadmapOf(room.roadmap.doc).initialise();
  milestoneId = roadmapOf(room.roadmap.doc).addMilestone({
    themeId: 'theme-it-resilienz',
    title: 'Notfallübung Mai',
    start: '2027-05-03',
    end: '2027-05-07',
  });
  actionId = actionListOf(room.list.doc).addItem({ title: 'Meldeweg abstimmen', organization: 'SH' });
}, 120_000);
afterAll(async () => {
  room?.roadmap.destroy();
  room?.list.destroy();
  await web?.close();
});

const panel = (page: Page) => page.locator('section[aria-labelledby="comments-title"]');

/**
 * Waits until the page has the document's threads: they come over their own stream, which may
 * arrive after the document is live; until then no count is known.
 */
const threadsLoaded = (page: Page) =>
  panel(page).locator('.comments__list[aria-busy="false"]').waitFor({ state: 'attached' });

/** Comments on a row through its comment button, as a person would. */
async function commentOnRow(page: Page, button: ReturnType<Page['locator']>, body: string, shown = body) {
  await button.click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('new-thread-body');
  await page.keyboard.type(body);
  await panel(page).getByRole('button', { name: 'Kommentieren', exact: true }).click();
  await panel(page).getByText(shown).waitFor();
}

describe('comments on rows', () => {
  it('claims no count before the thread list has arrived', async () => {
    const page = await freshPage(web);
    expect((await page.request.post(web.url('/api/auth/login'), { data: people.editor })).status()).toBe(200);
    // The document's event stream held back, as on a slow network: the document is live before it.
    const held: Route[] = [];
    await page.route(`**/api/documents/${room.roadmapId}/events`, (route) => {
      held.push(route);
    });
    await page.goto(web.url(`/documents/${room.roadmapId}`));
    await untilLive(page);
    const bar = page.locator('svg.timeline').getByRole('button', { name: /^Kommentieren: Notfallübung Mai, / });
    expect(await bar.getAttribute('aria-label')).toBe('Kommentieren: Notfallübung Mai, Kommentare werden geladen');
    expect(await bar.getAttribute('data-open-threads')).toBeNull();
    expect(await bar.textContent()).not.toMatch(/\d/);
    await page.getByRole('button', { name: 'Tabelle' }).click();
    const row = page.locator(`tr[data-milestone-id="${milestoneId}"] .comment-button`);
    await page.getByRole('button', { name: 'Kommentieren: Notfallübung Mai, Kommentare werden geladen' }).waitFor();
    expect(await row.getAttribute('data-open-threads')).toBeNull();
    expect(await row.textContent()).not.toMatch(/\d/);
    expect(held.length).toBeGreaterThan(0);

    // Once the list arrives, the count is there (in words too).
    await page.unroute(`**/api/documents/${room.roadmapId}/events`);
    // A held request the page gave up on (the stream reopened) cannot be continued: nothing to do.
    for (const route of held) await route.continue().catch(() => undefined);
    await threadsLoaded(page);
    const count = await row.getAttribute('data-open-threads');
    expect(count).toMatch(/^\d+$/);
    await page.getByRole('button', { name: `Kommentieren: Notfallübung Mai, ${count} offene Kommentare` }).waitFor();
    await page.context().close();
  }, 120_000);

  it('on a milestone: the commenter comments from the table, the editor sees the count live', async () => {
    const editor = await personInBrowser(web, people.editor, room.roadmapId);
    const commenter = await personInBrowser(web, people.commenter, room.roadmapId);
    for (const page of [editor, commenter]) await page.getByRole('button', { name: 'Tabelle' }).click();
    for (const page of [editor, commenter]) await threadsLoaded(page);
    const buttonOf = (page: Page) => page.locator(`tr[data-milestone-id="${milestoneId}"] .comment-button`);
    expect(await buttonOf(editor).getAttribute('data-open-threads')).toBe('0');

    await commentOnRow(commenter, buttonOf(commenter), 'Termin mit MV abgestimmt?');
    await panel(commenter).getByText('Kommentare zu „Notfallübung Mai“').waitFor();
    await expect.poll(() => buttonOf(editor).getAttribute('data-open-threads'), { timeout: 5_000 }).toBe('1');
    expect(await buttonOf(editor).getAttribute('aria-label')).toBeNull();
    await editor.getByRole('button', { name: 'Kommentieren: Notfallübung Mai, 1 offene Kommentare' }).click();
    await panel(editor).getByText('Termin mit MV abgestimmt?').waitFor();
    await panel(editor).getByText('Zum Meilenstein: Notfallübung Mai').waitFor();
    expect(await seriousViolations(commenter)).toEqual([]);
    await Promise.all([editor, commenter].map((page) => page.done()));
  }, 120_000);

  it('on a milestone from its timeline bar, by keyboard: no switch to the table needed on a wide screen', async () => {
    const editor = await personInBrowser(web, people.editor, room.roadmapId);
    const commenter = await personInBrowser(web, people.commenter, room.roadmapId);
    // The timeline is what a wide screen shows first; the bar's button names its count in words.
    const barButton = (page: Page) =>
      page
        .locator('svg.timeline')
        .getByRole('button', { name: /^Kommentieren: Notfallübung Mai, \d+ offene Kommentare$/ });
    for (const page of [editor, commenter]) await threadsLoaded(page);
    const before = Number(await barButton(editor).getAttribute('data-open-threads'));
    expect(await barButton(commenter).getAttribute('tabindex')).toBe('0');
    expect(await barButton(commenter).textContent()).toContain(`💬 ${before}`);

    await barButton(commenter).focus();
    await commenter.keyboard.press('Enter');
    await expect.poll(() => commenter.evaluate(() => document.activeElement?.id)).toBe('new-thread-body');
    await commenter.keyboard.type('Drehbuch der Übung an MV schicken?');
    await panel(commenter).getByRole('button', { name: 'Kommentieren', exact: true }).click();
    await panel(commenter).getByText('Drehbuch der Übung an MV schicken?').waitFor();
    await panel(commenter).getByText('Kommentare zu „Notfallübung Mai“').waitFor();

    // The editor's bar counts it live; Space opens its threads in the panel.
    const after = String(before + 1);
    await expect.poll(() => barButton(editor).getAttribute('data-open-threads'), { timeout: 5_000 }).toBe(after);
    expect(await barButton(editor).getAttribute('aria-label')).toBe(
      `Kommentieren: Notfallübung Mai, ${after} offene Kommentare`,
    );
    await barButton(editor).focus();
    await editor.keyboard.press('Space');
    await panel(editor).getByText('Drehbuch der Übung an MV schicken?').waitFor();
    await panel(editor).getByText('Kommentare zu „Notfallübung Mai“').waitFor();
    expect(await seriousViolations(commenter)).toEqual([]);
    expect(await seriousViolations(editor)).toEqual([]);
    await Promise.all([editor, commenter].map((page) => page.done()));
  }, 120_000);

  it('on an action: the count shows live in the other browser, and a mention in its inbox', async () => {
    const editor = await personInBrowser(web, people.editor, room.listId);
    const commenter = await personInBrowser(web, people.commenter, room.listId);
    const buttonOf = (page: Page) => page.locator(`tr[data-item-id="${actionId}"] .comment-button`);
    await buttonOf(editor).waitFor();
    const inbox = editor.getByRole('button', { name: /Benachrichtigungen/ });
    // Added to the room: one unread.
    await expect.poll(() => inbox.textContent()).toContain('1 ungelesen');

    const body = `Wer meldet an Dataport? @[Anna Ahrens](${editorId})`;
    await commentOnRow(commenter, buttonOf(commenter), body, 'Wer meldet an Dataport? @Anna Ahrens');
    await expect.poll(() => buttonOf(editor).getAttribute('data-open-threads'), { timeout: 5_000 }).toBe('1');
    // Live over the document's stream, well before any periodic asking would have noticed.
    await expect.poll(() => inbox.textContent(), { timeout: 5_000 }).toContain('2 ungelesen');
    expect(await buttonOf(editor).textContent()).toContain('💬 1');
    // Resolving the thread takes it off the count, live as well.
    await panel(commenter).getByRole('button', { name: 'Als erledigt markieren' }).click();
    await expect.poll(() => buttonOf(editor).getAttribute('data-open-threads'), { timeout: 5_000 }).toBe('0');
    expect(await seriousViolations(editor)).toEqual([]);
    await Promise.all([editor, commenter].map((page) => page.done()));
  }, 120_000);
});

describe('the comment form before the page has taken over', () => {
  it('keeps what was typed into the server-rendered form, and sends it', async () => {
    const page = await freshPage(web);
    expect((await page.request.post(web.url('/api/auth/login'), { data: people.commenter })).status()).toBe(200);
    // The page's scripts held back, as on a slow line: the server's rendering (with its styles) is
    // all there is, and a person may already type into its comment field.
    let release = () => {};
    const released = new Promise<void>((done) => {
      release = done;
    });
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(web.url(`/documents/${room.roadmapId}`), { waitUntil: 'commit' });
    const field = page.locator('#new-thread-body');
    await field.click();
    await page.keyboard.type('Vor dem Laden getippt: Übung mit MV?');
    expect(await page.locator('[data-status="synced"]').count()).toBe(0);
    release();
    await untilLive(page);
    await threadsLoaded(page);
    // The takeover kept the text in the field and in the form's state: it is what is sent.
    expect(await field.inputValue()).toBe('Vor dem Laden getippt: Übung mit MV?');
    await panel(page).getByRole('button', { name: 'Kommentieren', exact: true }).click();
    await panel(page).locator('.comments__list').getByText('Vor dem Laden getippt: Übung mit MV?').waitFor();
    await page.context().close();
  }, 120_000);
});
