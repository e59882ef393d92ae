// The roadmap, the action list and the notes editor at the sizes people use: an office laptop
// (1366x768), the same laptop at 200 % zoom (half as many CSS pixels, each twice as large) and a
// 390 px phone. Text stays as large as body text, nothing is squashed by one far-off date, the
// tables fit or become cards, and the editor shows where focus is. Screenshots of each go to
// test-results/screenshots.
import { actionListOf, roadmapOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../helpers/browser.ts';
import { connectClient } from '../helpers/sync.ts';
import { type RoomWithLists, roomWithLists, startWeb, untilLive, type WebFixture } from './web-support.ts';

const password = 'Ansichten-Passwort 2026';
const anna = { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password };

const sizes = {
  laptop: { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  zoom200: { viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;
type Size = keyof typeof sizes;

// Each test opens a browser of its own size, signs in and waits for the live document, and runs
// axe: on a loaded two-core machine that takes longer than the default 30 s.
const slow = { timeout: 90_000 };

const longTitle =
  'Meldeweg zwischen den Lagezentren Schleswig-Holstein und Mecklenburg-Vorpommern für die gemeinsame Notfallübung abstimmen und dokumentieren';

let web: WebFixture;
let room: RoomWithLists;
let notesId: string;
let longId: string;
let typoId: string;
let laterId: string;

/** A fresh browser of the given size, signed in as Anna, on `documentId` once it is live. */
async function openAt(size: Size, documentId: string, live = true): Promise<Page> {
  const context = await web.browser.newContext({ locale: 'de-DE', ...sizes[size] });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  expect((await page.request.post(web.url('/api/auth/login'), { data: anna })).status()).toBe(200);
  await page.goto(web.url(`/documents/${documentId}`));
  if (live) await untilLive(page);
  return page;
}

/** Axe finds nothing serious, and a screenshot is kept. */
async function check(page: Page, name: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** The size of body text on the page, in CSS pixels. */
const bodyTextSize = (page: Page) =>
  page
    .locator('p.kern-body')
    .first()
    .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));

/**
 * The size at which each bar label is drawn, in CSS pixels: its font size times the scale the
 * SVG is drawn at (a viewBox scaled to fit shrinks the text without changing its font size).
 */
const barLabelSizes = (page: Page) =>
  page.locator('g[data-milestone-id] text').evaluateAll((texts) =>
    texts.map((text) => {
      const scale = (text as SVGTextElement).getScreenCTM()?.a ?? 0;
      return Number.parseFloat(getComputedStyle(text).fontSize) * scale;
    }),
  );

/** Whether the page itself scrolls sideways (a scroll region inside it may). */
const pageOverflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

beforeAll(async () => {
  web = await startWeb();
  const annaId = await web.createUser(anna);
  room = await roomWithLists(
    web,
    { room: 'AG IT-Resilienz SH–MV', roadmap: 'Roadmap IT-Resilienz', list: 'Maßnahmen Notfallübung' },
    { [annaId]: 'editor' },
  );
  const roadmap = roadmapOf(room.roadmap.doc);
  roadmap.initialise();
  const add = (title: string, themeId: string, start: string, end: string) =>
    roadmap.addMilestone({ themeId, title, start, end, lead: 'SH' });
  add('KI-Pilot Bürgerservice', 'theme-ki', '2027-01-04', '2027-03-26');
  add('openDesk-Rollout', 'theme-open-source', '2027-02-01', '2027-06-30');
  add('Notfallübung', 'theme-it-resilienz', '2027-05-03', '2027-05-07');
  add('Registerabgleich', 'theme-ki', '2027-04-01', '2027-09-30');
  // A typo away from 2029: it ends in 2099. And one that lies wholly in 2099.
  typoId = add('Cloud-Strategie', 'theme-open-source', '2027-03-01', '2099-12-31');
  laterId = add('Archivmigration', 'theme-it-resilienz', '2099-01-01', '2099-06-30');

  const actions = actionListOf(room.list.doc);
  longId = actions.addItem({ title: longTitle, organization: 'SH', due: '2027-03-15' });
  actions.addItem({ title: 'Lagezentrum buchen', organization: 'MV', due: '2027-04-15', status: 'done' });

  notesId = (await web.api.post(`/api/rooms/${room.roomId}/documents`, { kind: 'notes', title: 'Protokoll' })).json
    .document.id;
}, 120_000);

afterAll(async () => {
  room?.roadmap.destroy();
  room?.list.destroy();
  await web?.close();
});

describe('the roadmap timeline', slow, () => {
  it('shows the bulk of the milestones when one ends in 2099, and the rest at the edge in words', async () => {
    const page = await openAt('laptop', room.roadmapId);
    const typo = page.locator(`g[data-milestone-id="${typoId}"]`);
    await typo.waitFor();
    // Not squashed: a bar is as tall as it is drawn, and a month is wider than 50 px.
    const bar = (await typo.locator('rect').nth(1).boundingBox())!;
    expect(bar.height).toBeGreaterThanOrEqual(28);
    const timeline = page.locator('svg.timeline');
    expect(await timeline.getAttribute('aria-label')).not.toContain('2099');
    expect((await timeline.boundingBox())!.width).toBeLessThan(4000);
    // The bar that runs on says where it ends; the one wholly later says so at the window's edge.
    expect(await typo.textContent()).toContain('Ende 31.12.2099');
    const later = page.locator(`g[data-milestone-id="${laterId}"]`);
    expect(await later.textContent()).toContain('später (01.01.2099 bis 30.06.2099)');
    expect(await later.getAttribute('aria-label')).toContain('später (01.01.2099 bis 30.06.2099)');
    expect(await page.getByText('Ende des gezeigten Zeitraums').count()).toBe(1);
    await check(page, 'sizes-roadmap-laptop');
    await page.context().close();
  });

  for (const size of ['laptop', 'zoom200'] as const) {
    it(`draws bar labels as large as body text, scrolling sideways instead of shrinking (${size})`, async () => {
      const page = await openAt(size, room.roadmapId);
      await page.locator('g[data-milestone-id]').first().waitFor();
      const body = await bodyTextSize(page);
      const labels = await barLabelSizes(page);
      expect(labels.length).toBeGreaterThan(0);
      expect(Math.min(...labels)).toBeGreaterThanOrEqual(body);
      // The region scrolls sideways; the page around it does not.
      const region = page.getByRole('region', { name: 'Zeitleiste der Meilensteine' });
      if (size === 'zoom200')
        expect(await region.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
      expect(await pageOverflows(page)).toBe(false);
      await check(page, `sizes-roadmap-${size}`);
      await page.context().close();
    });
  }

  it('lists the milestones on a phone, in text as large as body text', async () => {
    const page = await openAt('phone', room.roadmapId);
    const list = page.getByRole('region', { name: 'Meilensteine nach Thema' });
    await list.waitFor();
    expect(await page.locator('svg.timeline').isVisible()).toBe(false);
    const entries = list.locator('li');
    expect(await entries.count()).toBe(6);
    const body = await bodyTextSize(page);
    const sizes = await entries.evaluateAll((items) =>
      items.map((item) => Number.parseFloat(getComputedStyle(item).fontSize)),
    );
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(body);
    expect(await list.textContent()).toContain('vom 01.03.2027 bis 31.12.2099');
    // Each entry opens the milestone for editing.
    await list.locator('.roadmap-list__open', { hasText: 'Notfallübung' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await pageOverflows(page)).toBe(false);
    await check(page, 'sizes-roadmap-phone');
    await page.context().close();
  });

  it('fits the table view into a laptop screen', async () => {
    const page = await openAt('laptop', room.roadmapId);
    await page.getByRole('button', { name: 'Tabelle' }).click();
    const region = page.locator('.kern-table-responsive:has(table.roadmap-table)');
    await region.locator('tr[data-milestone-id]').first().waitFor();
    expect(await region.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await check(page, 'sizes-roadmap-table-laptop');
    await page.context().close();
  });
});

describe('the action list', slow, () => {
  it('fits a laptop screen without sideways scrolling, titles wrapped whole', async () => {
    const page = await openAt('laptop', room.listId);
    const table = page.locator('table.action-table');
    await table.locator(`tr[data-item-id="${longId}"]`).waitFor();
    const region = page.locator('.kern-table-responsive:has(table.action-table)');
    expect(await region.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    // The whole title shows: its field grew to it instead of cutting it off.
    const title = page.locator(`#a-${longId}-title`);
    expect(await title.evaluate((element) => element.scrollHeight <= element.clientHeight + 1)).toBe(true);
    expect(await title.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    expect(await title.inputValue()).toBe(longTitle);
    await check(page, 'sizes-actions-laptop');
    await page.context().close();
  });

  for (const size of ['zoom200', 'phone'] as const) {
    it(`shows each action as a card (${size})`, async () => {
      const page = await openAt(size, room.listId);
      const row = page.locator(`tr[data-item-id="${longId}"]`);
      await row.waitFor();
      const title = (await page.locator(`#a-${longId}-title`).boundingBox())!;
      const due = (await page.locator(`#a-${longId}-due`).boundingBox())!;
      const card = (await row.boundingBox())!;
      // The title across the card, the fields below it, all within the screen.
      expect(due.y).toBeGreaterThanOrEqual(title.y + title.height);
      expect(card.x + card.width).toBeLessThanOrEqual(sizes[size].viewport.width);
      expect(
        await row
          .locator('td')
          .first()
          .evaluate((cell) => getComputedStyle(cell, '::before').content),
      ).toBe('"Verantwortlich"');
      expect(await pageOverflows(page)).toBe(false);
      await check(page, `sizes-actions-${size}`);
      await page.context().close();
    });
  }
});

describe('the notes editor', slow, () => {
  it('shows a focus ring, keeps a pasted H1 as a heading, and names the checklist button', async () => {
    const page = await openAt('laptop', notesId, false);
    const editor = page.locator('.ProseMirror');
    await editor.waitFor();
    await expect.poll(() => editor.getAttribute('contenteditable')).toBe('true');
    await editor.click();
    const ring = await editor.evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        outline: Number.parseFloat(style.outlineWidth) * (style.outlineStyle === 'none' ? 0 : 1),
        shadow: style.boxShadow,
      };
    });
    expect(ring.outline >= 2 || ring.shadow !== 'none').toBe(true);

    // Pasted as a word processor puts it on the clipboard.
    await editor.evaluate((element) => {
      const data = new DataTransfer();
      data.setData('text/html', '<h1>Titel</h1><p>Text</p><h6>Kleinste</h6>');
      data.setData('text/plain', 'Titel\nText\nKleinste');
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => editor.locator('h2').textContent()).toBe('Titel');
    expect(await editor.locator('h4').textContent()).toBe('Kleinste');

    const toolbar = page.getByRole('toolbar');
    expect(await toolbar.getByRole('button', { name: 'Checkliste' }).count()).toBe(1);
    expect(await toolbar.getByRole('button', { name: 'Aufgaben' }).count()).toBe(0);
    await check(page, 'sizes-notes-laptop');
    await page.context().close();

    // The syncing client sees the heading too.
    const reader = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, notesId);
    await reader.synced();
    await expect
      .poll(() => reader.doc.getXmlFragment('default').toString())
      .toContain('<heading level="2">Titel</heading>');
    reader.destroy();
  });
});

describe('the history of the action list', slow, () => {
  let versionId: string;
  beforeAll(async () => {
    versionId = (await web.api.post(`/api/documents/${room.listId}/versions`, { name: 'Stand vor der Übung' })).json
      .version.id;
    actionListOf(room.list.doc).addItem({ title: 'Nachbesprechung ansetzen', organization: 'MV' });
  });

  for (const size of ['zoom200', 'phone'] as const) {
    it(`shows the panel, the comparison and a version within the screen, clean for axe (${size})`, async () => {
      const page = await openAt(size, room.listId);
      const panel = page.locator('section.history');
      await panel.getByRole('button', { name: /^Mit aktuellem Stand vergleichen.*Stand vor der Übung/ }).click();
      const changes = page.getByTestId('history-changes');
      await expect.poll(() => changes.innerText()).toContain('Nachbesprechung ansetzen');
      expect(await pageOverflows(page)).toBe(false);
      await check(page, `sizes-history-compare-${size}`);

      await page.goto(web.url(`/documents/${room.listId}?version=${versionId}`));
      await page.getByTestId('history-version').locator(`tr[data-item-id="${longId}"]`).waitFor();
      expect(await pageOverflows(page)).toBe(false);
      await check(page, `sizes-history-version-${size}`);
      await page.context().close();
    });
  }
});
