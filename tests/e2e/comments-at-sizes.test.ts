// The comment panel (with a suggested change) and the inbox at the sizes people use: the office
// laptop at 200 % zoom (683x384 CSS pixels) and a 390 px phone. Axe finds nothing serious with
// both open, and the page does not scroll sideways. Screenshots go to test-results/screenshots.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient } from '../helpers/app.ts';
import { screenshot, seriousViolations } from '../helpers/browser.ts';
import { passageAnchor } from '../helpers/comments.ts';
import { connectClient, eventually } from '../helpers/sync.ts';
import { startWeb, untilLive, type WebFixture } from './web-support.ts';

const password = 'Größen-Kommentar 2026';
const anna = { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password };
const bernd = { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password };

const sizes = {
  zoom200: { viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;

let web: WebFixture;
let documentId: string;
beforeAll(async () => {
  web = await startWeb();
  const annaId = await web.createUser(anna);
  const berndId = await web.createUser(bernd);
  const roomId: string = (await web.api.post('/api/rooms', { name: 'AG Register' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${annaId}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${berndId}`, { role: 'commenter' });
  documentId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll SH' })).json
    .document.id;
  const writer = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, documentId);
  await writer.synced();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [
    new Y.XmlText(
      'Workshop zur Registermodernisierung in beiden Ländern Schleswig-Holstein und Mecklenburg-Vorpommern.',
    ),
  ]);
  writer.doc.getXmlFragment('default').insert(0, [paragraph]);
  // The server anchors the suggestion in its own copy: wait until it has committed the paragraph,
  // which a second client sees only after the commit.
  const reader = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, documentId);
  await reader.synced();
  expect(await eventually(() => reader.doc.getXmlFragment('default').length > 0, 20_000)).toBe(true);
  reader.destroy();
  const anchor = passageAnchor(writer.doc, 0, 'Registermodernisierung');
  const commenter = new ApiClient(web.server.url);
  await commenter.login(bernd.email, bernd.password);
  const proposed = await commenter.post(`/api/documents/${documentId}/threads`, {
    body: `@[Anna Ahrens](${annaId}) bitte so übernehmen, der Begriff ist in beiden Ländern Schleswig-Holstein und Mecklenburg-Vorpommern üblich.`,
    anchor,
    suggestion: { text: 'Verwaltungsdigitalisierung' },
  });
  expect(proposed.status).toBe(201);
  writer.destroy();
}, 120_000);
afterAll(() => web?.close());

async function openAt(size: keyof typeof sizes): Promise<Page> {
  const context = await web.browser.newContext({ locale: 'de-DE', ...sizes[size] });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  expect((await page.request.post(web.url('/api/auth/login'), { data: anna })).status()).toBe(200);
  await page.goto(web.url(`/documents/${documentId}`));
  await untilLive(page);
  return page;
}

const pageOverflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe('comments and the inbox', { timeout: 90_000 }, () => {
  for (const size of Object.keys(sizes) as (keyof typeof sizes)[]) {
    it(`are usable and axe-clean at ${size}`, async () => {
      const page = await openAt(size);
      const panel = page.locator('section[aria-labelledby="comments-title"]');
      await page.locator('del.suggestion-delete').waitFor();
      await panel.getByRole('button', { name: 'Vorschlag übernehmen' }).scrollIntoViewIfNeeded();
      const inbox = page.getByRole('button', { name: /Benachrichtigungen/ });
      await expect.poll(() => inbox.textContent()).toContain('ungelesen');
      await inbox.click();
      await page.getByRole('link', { name: 'Bernd Berg hat Sie in „Protokoll SH“ erwähnt' }).waitFor();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      expect(await seriousViolations(page)).toEqual([]);
      expect(await pageOverflows(page)).toBe(false);
      await screenshot(page, `comments-${size}`);
      await page.context().close();
    });
  }
});
