import { roadmapOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, type SyncClient } from '../helpers/sync.ts';
import { checkPage, freshPage, login, startWeb, untilLive, type WebFixture } from './web-support.ts';

// Search as a civil servant uses it: the field in the header, results while typing, the keyboard
// alone, and the protocol opened at the matched words.

const anna = { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password: 'Protokoll-Passwort 2026' };

let web: WebFixture;
let page: Page;
let protocolId: string;
let client: SyncClient;
let roadmapClient: SyncClient;
let roadmapId: string;
let milestoneId: string;

beforeAll(async () => {
  web = await startWeb();
  const annaId = await web.createUser(anna);
  const roomId: string = (await web.api.post('/api/rooms', { name: 'AG IT-Resilienz' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${annaId}`, { role: 'editor' });
  protocolId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Workshop Register' }))
    .json.document.id;
  client = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, protocolId);
  await client.synced();
  const fragment = client.doc.getXmlFragment('default');
  fragment.insert(
    0,
    ['Begrüßung und Tagesordnung.', 'Die Arbeitsgruppe beschließt drei Maßnahmen zur Registermodernisierung.'].map(
      (line) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(line)]);
        return paragraph;
      },
    ),
  );
  // A roadmap long enough that the milestone searched for lies below the first screen.
  roadmapId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'roadmap', title: 'Roadmap Resilienz' }))
    .json.document.id;
  roadmapClient = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, roadmapId);
  await roadmapClient.synced();
  const roadmap = roadmapOf(roadmapClient.doc);
  for (let i = 1; i <= 30; i++) {
    roadmap.addMilestone({
      themeId: 'theme-it-resilienz',
      title: `Übung ${i}`,
      start: '2027-01-04',
      end: '2027-02-26',
    });
  }
  milestoneId = roadmap.addMilestone({
    themeId: 'theme-ki',
    title: 'Notfallhandbuch Rechenzentrum',
    start: '2027-05-03',
    end: '2027-06-30',
  });
  // The header's suggestions ask once, as the person types: wait until the index has both documents.
  const found = async (q: string, title: string) =>
    ((await web.api.get(`/api/search?q=${encodeURIComponent(q)}`)).json.results as { title: string }[]).some(
      (result) => result.title === title,
    );
  if (!(await eventually(() => found('Maßnahmen', 'Workshop Register'), 20_000)))
    throw new Error('the protocol was not indexed');
  if (!(await eventually(() => found('Notfallhandbuch', 'Notfallhandbuch Rechenzentrum'), 20_000)))
    throw new Error('the milestone was not indexed');
  page = await freshPage(web);
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(web, page, anna.email, anna.password);
});

afterAll(async () => {
  client.destroy();
  roadmapClient.destroy();
  await web.close();
});

const field = () => page.getByRole('combobox', { name: /In allen Datenräumen suchen/ });

// Each test walks several pages on a two-core machine: more time than the default 30 s.
describe('search from the header', { timeout: 90_000 }, () => {
  it('suggests results while typing and opens the protocol at the matched words, by keyboard alone', async () => {
    await page.keyboard.press('Control+k');
    await expect.poll(() => field().evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('Massnahme', { delay: 20 });
    const option = page.getByRole('option', { name: /Workshop Register/ });
    await option.waitFor();
    expect(await option.locator('mark').textContent()).toContain('Maßnahmen');
    expect(await field().getAttribute('aria-expanded')).toBe('true');
    await checkPage(page, 'search-suggestions-1366');
    await page.keyboard.press('ArrowDown');
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/documents/${protocolId}`);
    await untilLive(page);
    await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe('Maßnahmen');
  });

  it('lists every result on the results page, with filters, at every size', async () => {
    await page.goto(web.url('/search?q=Registermoderni'));
    const result = page.getByRole('link', { name: 'Workshop Register' });
    await result.waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Treffer' }).textContent()).toContain('1 Treffer');
    await checkPage(page, 'search-page-1366');
    await page.getByLabel('Art').selectOption('milestone');
    await page.getByRole('button', { name: 'Suchen', exact: true }).last().click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'milestone');
    await page.getByText('Keine Treffer').waitFor();
    for (const [name, width, zoom] of [
      ['search-page-200-percent', 683, 2],
      ['search-page-390', 390, 1],
    ] as const) {
      const context = await web.browser.newContext({
        locale: 'de-DE',
        viewport: { width, height: 800 },
        deviceScaleFactor: zoom,
      });
      const other = await context.newPage();
      await login(web, other, anna.email, anna.password, '/search?q=Tagesordnung');
      await other.getByRole('link', { name: 'Workshop Register' }).waitFor();
      expect(await other.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await checkPage(other, name);
      await context.close();
    }
  });

  it('opens a roadmap at the milestone found, marked and in view', async () => {
    await page.goto(web.url('/search?q=Notfallhandbuch&kind=milestone'));
    const result = page.locator(`a[href$="#milestone-${milestoneId}"]`);
    await result.waitFor({ timeout: 20_000 });
    await result.click();
    await page.waitForURL(
      (url) => url.pathname === `/documents/${roadmapId}` && url.hash === `#milestone-${milestoneId}`,
    );
    await untilLive(page);
    const bar = page.locator(`g[data-milestone-id="${milestoneId}"]`);
    await expect.poll(() => bar.getAttribute('data-target')).toBe('');
    await expect
      .poll(() =>
        bar.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    // Marked by more than colour: an outline around the bar.
    expect(await bar.locator('.bar__focus').evaluate((rect) => getComputedStyle(rect).strokeWidth)).toBe('3px');
    await checkPage(page, 'search-milestone-target');
  });
});
