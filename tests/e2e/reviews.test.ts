import { roadmapOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/app.ts';
import { eventually } from '../helpers/sync.ts';
import {
  checkPage,
  freshPage,
  openDocumentAs,
  type RoomWithLists,
  roomWithLists,
  startWeb,
  type WebFixture,
} from './web-support.ts';

// A steering committee reviews a roadmap: an SH editor asks two committee members (SH and MV,
// commenters) for a review; the MV member finds it under "Meine Prüfungen", sees what changed since
// the last approval, and approves; once the SH member approves too, the roadmap shows the approval.

const password = 'Lenkungskreis-Passwort 2026';
const editor = { email: 'eva.ehlers@sh.example', name: 'Eva Ehlers', org: 'SH', password };
const mv = { email: 'malte.mahnke@mv.example', name: 'Malte Mahnke', org: 'MV', password };
const sh = { email: 'sanna.sievers@sh.example', name: 'Sanna Sievers', org: 'SH', password };

let fixture: WebFixture;
let room: RoomWithLists;
const ids: Record<'editor' | 'mv' | 'sh', string> = { editor: '', mv: '', sh: '' };
const clients: Record<'editor' | 'mv' | 'sh', ApiClient> = {} as never;

beforeAll(async () => {
  fixture = await startWeb();
  for (const [key, person] of Object.entries({ editor, mv, sh }) as [keyof typeof ids, typeof editor][]) {
    ids[key] = await fixture.createUser(person);
    clients[key] = new ApiClient(fixture.server.url);
    await clients[key].login(person.email, person.password);
  }
  room = await roomWithLists(
    fixture,
    { room: 'AG Digitale Verwaltung', roadmap: 'Roadmap Verwaltungsdigitalisierung', list: 'Maßnahmen' },
    { [ids.editor]: 'editor', [ids.mv]: 'commenter', [ids.sh]: 'commenter' },
  );
  const roadmap = roadmapOf(room.roadmap.doc);
  const pilot = roadmap.addMilestone({
    themeId: 'theme-ki',
    title: 'KI-Pilot',
    start: '2027-01-01',
    end: '2027-03-31',
  });
  roadmap.addMilestone({ themeId: 'theme-ki', title: 'Datenstrategie', start: '2027-02-01', end: '2027-04-30' });
  // A first approval, given through the API: what the committee decided at its last meeting.
  const saved = async () =>
    (await clients.editor.get(`/api/documents/${room.roadmapId}/state`)).text.includes('Datenstrategie');
  if (!(await eventually(saved, 15_000))) throw new Error('the milestones did not arrive');
  const first = (
    await clients.editor.post(`/api/documents/${room.roadmapId}/reviews`, { reviewerIds: [ids.mv, ids.sh] })
  ).json.review;
  for (const key of ['mv', 'sh'] as const)
    await clients[key].put(`/api/reviews/${first.id}/answer`, { verdict: 'approve' });
  const status = (await clients.editor.get(`/api/reviews/${first.id}`)).json.review.status;
  if (status !== 'approved') throw new Error(`the first review is ${status}`);
  // Since then: one milestone moved, one added.
  roadmap.updateMilestone(pilot, { end: '2027-06-30' });
  roadmap.addMilestone({ themeId: 'theme-ki', title: 'Rollout in MV', start: '2027-07-01', end: '2027-12-31' });
}, 180_000);

afterAll(async () => {
  room?.roadmap.destroy();
  room?.list.destroy();
  await fixture?.close();
});

const reviewsOf = (page: Page) => page.getByTestId('document-reviews');

describe('a review by the steering committee', () => {
  let reviewId = '';

  it('is requested by an SH editor from two committee members, from the roadmap page', async () => {
    const page = await openDocumentAs(fixture, editor, room.roadmapId);
    await expect
      .poll(() => page.getByTestId('approval-line').innerText())
      .toMatch(/^Beschlossen durch den Lenkungskreis am/);
    await expect
      .poll(() => page.getByTestId('approval-changes').innerText())
      .toBe('2 Meilensteine geändert seit der Freigabe');
    await reviewsOf(page).getByRole('button', { name: 'Änderungen seit der Freigabe anzeigen' }).click();
    await expect.poll(() => reviewsOf(page).getByTestId('history-summary').innerText()).toMatch(/1 hinzugefügt/);

    await reviewsOf(page).getByRole('button', { name: 'Prüfung anfordern' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: 'Malte Mahnke (MV)' }).waitFor();
    // Nobody chosen: the error stands next to the field.
    await dialog.getByRole('button', { name: 'Prüfung anfordern' }).click();
    await expect
      .poll(() => dialog.locator('#review-reviewers-error').innerText())
      .toBe('Bitte wählen Sie mindestens eine Person.');
    await checkPage(page, 'reviews-request-dialog');
    await dialog.getByRole('checkbox', { name: 'Malte Mahnke (MV)' }).check();
    await dialog.getByRole('checkbox', { name: 'Sanna Sievers (SH)' }).check();
    await dialog.getByLabel(/Nachricht an die Prüfenden/).fill('Bitte vor der Sitzung am 12.03. prüfen.');
    await dialog.getByRole('button', { name: 'Prüfung anfordern' }).click();
    await expect.poll(() => reviewsOf(page).getByRole('status').innerText()).toBe('Die Prüfung wurde angefordert.');
    await expect.poll(() => reviewsOf(page).locator('a[href^="/reviews/"]').count()).toBe(1);
    reviewId =
      ((await reviewsOf(page).locator('a[href^="/reviews/"]').getAttribute('href')) ?? '').split('/').pop() ?? '';
    expect(reviewId).not.toBe('');
    await page.context().close();
  }, 120_000);

  it('is found under "Meine Prüfungen" by the MV member, who sees the changes since the approval and approves', async () => {
    const page = await freshPage(fixture);
    await page.request.post(fixture.url('/api/auth/login'), { data: mv });
    await page.goto(fixture.url('/rooms'));
    await page.getByRole('link', { name: 'Meine Prüfungen' }).click();
    const card = page.getByTestId('my-review');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain('Bitte vor der Sitzung am 12.03. prüfen.');
    await checkPage(page, 'reviews-my-reviews');

    // The page arrives with its content: the comparison and the version under review are in the HTML.
    const html = await (await page.request.get(fixture.url(`/reviews/${reviewId}`))).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toMatch(/data-testid="history-changes"[\s\S]*Rollout in MV/);
    expect(html).toMatch(/data-testid="history-version"[\s\S]*Rollout in MV/);

    await card.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Prüfung: Roadmap Verwaltungsdigitalisierung' }).waitFor();
    const summary = page.getByTestId('history-summary');
    await expect.poll(() => summary.innerText()).toMatch(/1 hinzugefügt.*1 geändert|1 geändert.*1 hinzugefügt/);
    expect(await page.getByTestId('history-changes').innerText()).toContain('Rollout in MV');
    // The version itself, in the roadmap's own view, loads on its own.
    await expect.poll(() => page.getByTestId('history-version').innerText()).toContain('Rollout in MV');

    // A remark needs its text: the error stands next to the field.
    await page.getByRole('radio', { name: 'Freigeben mit Anmerkungen' }).check();
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect
      .poll(() => page.locator('#answer-comment-error').innerText())
      .toBe('Bitte schreiben Sie, was anzumerken oder zu ändern ist.');
    await checkPage(page, 'reviews-review-page');
    await page.getByRole('radio', { name: 'Freigeben', exact: true }).check();
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect.poll(() => page.getByTestId('answer-status').innerText()).toBe('Ihre Antwort wurde gespeichert.');
    expect(await page.getByTestId('review-status').innerText()).toBe('Offen');
    expect(await page.getByTestId('review-answers').innerText()).toMatch(/Malte Mahnke \(MV\)\s+Freigeben/);
    await page.context().close();
  }, 120_000);

  it('once the SH member approves too, the roadmap header shows the new approval', async () => {
    const answered = await clients.sh.put(`/api/reviews/${reviewId}/answer`, { verdict: 'approve' });
    expect(answered.json.review.status).toBe('approved');
    const page = await openDocumentAs(fixture, editor, room.roadmapId);
    await expect.poll(() => page.getByTestId('approval-changes').innerText()).toBe('Seit der Freigabe unverändert.');
    expect(await page.getByTestId('approval-line').innerText()).toContain('Malte Mahnke (MV), Sanna Sievers (SH)');
    await checkPage(page, 'reviews-roadmap-approved');

    // The live roadmap moves on; the header counts it against the approval.
    roadmapOf(room.roadmap.doc).addMilestone({
      themeId: 'theme-ki',
      title: 'Evaluation',
      start: '2028-01-01',
      end: '2028-03-31',
    });
    await expect
      .poll(() => page.getByTestId('approval-changes').innerText(), { timeout: 15_000 })
      .toBe('1 Meilenstein geändert seit der Freigabe');
    await page.context().close();
  }, 120_000);

  it('speaks English and is clean for axe at phone width', async () => {
    const requested = await clients.editor.post(`/api/documents/${room.roadmapId}/reviews`, {
      reviewerIds: [ids.mv],
      message: 'Please review before the meeting.',
    });
    expect(requested.status).toBe(201);
    const page = await freshPage(fixture);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.request.post(fixture.url('/api/auth/login'), { data: mv });
    expect((await page.request.patch(fixture.url('/api/me'), { data: { locale: 'en' } })).status()).toBe(200);
    await page.goto(fixture.url('/my-reviews'));
    await page.getByRole('heading', { level: 1, name: 'My reviews' }).waitFor();
    await expect.poll(() => page.getByTestId('my-review').count()).toBe(1);
    await checkPage(page, 'reviews-my-reviews-en-phone');
    // Opened directly, the page the server rendered in English comes to life in the browser.
    const href = (await page.getByTestId('my-review').getByRole('link').getAttribute('href')) ?? '';
    await page.goto(fixture.url(href));
    await page.getByRole('heading', { level: 1, name: 'Review: Roadmap Verwaltungsdigitalisierung' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.getByTestId('history-summary').innerText()).toBe('1 added, 0 removed, 0 changed');
    await checkPage(page, 'reviews-review-page-en-phone');
    // The header names the reader once the browser has taken the page over.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('radio', { name: 'Approve', exact: true }).check();
    await page.getByRole('button', { name: 'Send answer' }).click();
    // The only reviewer approved: the review closes at once.
    await expect.poll(() => page.getByTestId('review-status').innerText()).toBe('Approved');
    await page.context().close();
  }, 120_000);
});
