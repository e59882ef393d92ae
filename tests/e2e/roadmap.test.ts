// The theme roadmap as people use it: two states editing one milestone at once (keyboard move,
// mouse drag, rename), keyboard-only creation, a reader, values no client should have written,
// against the real server. The document page mounts RoadmapView for documents of kind roadmap.
import { type Milestone, roadmapOf } from '@nordraum/domain';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../helpers/browser.ts';
import { connectClient, type SyncClient } from '../helpers/sync.ts';
import { openDocumentAs, startWeb, tabTo, type WebFixture } from './web-support.ts';

const password = 'Roadmap-Passwort 2026';
const people = {
  sh: { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password },
  mv: { email: 'bernd.berg@mv.example', name: 'Bernd Berg', org: 'MV', password },
  viewer: { email: 'vera.voss@sh.example', name: 'Vera Voss', org: 'SH', password },
};

let web: WebFixture;
let roadmapId: string;
let seed: SyncClient;
let pilotId: string;
const pages: Record<'sh' | 'mv', Page> = {} as never;

const milestoneNow = (id: string): Milestone | undefined => roadmapOf(seed.doc).milestone(id);
const bar = (page: Page, id: string): Locator => page.locator(`g[data-milestone-id="${id}"]`);
const row = (page: Page, id: string): Locator => page.locator(`tr[data-milestone-id="${id}"]`);

/**
 * Types 31 February of 2027 into a date input, in whichever order the browser's date field
 * takes day and month (its language decides, not the page's): day first, else month first.
 */
async function typeImpossibleDate(page: Page, input: Locator) {
  await input.focus();
  await page.keyboard.type('31022027');
  if (await input.evaluate((element: HTMLInputElement) => element.validity.badInput)) return;
  // Month first: Escape puts the stored date back, then once more the other way round.
  await page.keyboard.press('Escape');
  await input.focus();
  await page.keyboard.type('02312027');
}

const openAs = (person: keyof typeof people) => openDocumentAs(web, people[person], roadmapId);

beforeAll(async () => {
  web = await startWeb();
  const ids: Record<string, string> = {};
  for (const [key, person] of Object.entries(people)) ids[key] = await web.createUser(person);
  const roomId = (await web.api.post('/api/rooms', { name: 'AG Digitale Souveränität SH–MV' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${ids.sh}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${ids.mv}`, { role: 'editor' });
  await web.api.put(`/api/rooms/${roomId}/members/${ids.viewer}`, { role: 'viewer' });
  roadmapId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'roadmap', title: 'Roadmap 2027' })).json
    .document.id;
  const url = web.server.url;
  seed = connectClient({ url, origin: url, cookie: web.api.cookie }, roadmapId);
  await seed.synced();
  const roadmap = roadmapOf(seed.doc);
  roadmap.initialise();
  pilotId = roadmap.addMilestone({
    themeId: 'theme-ki',
    title: 'KI-Pilot Bürgerservice',
    start: '2027-01-04',
    end: '2027-03-26',
    status: 'in_progress',
    lead: 'SH',
  });
  roadmap.addMilestone({
    themeId: 'theme-open-source',
    title: 'openDesk-Rollout',
    start: '2027-02-01',
    end: '2027-06-30',
    lead: 'joint',
  });
  roadmap.addMilestone({
    themeId: 'theme-it-resilienz',
    title: 'Notfallübung',
    start: '2027-05-03',
    end: '2027-05-07',
    status: 'at_risk',
    lead: 'MV',
  });
}, 120_000);

afterAll(async () => {
  seed?.destroy();
  await web?.close();
});

describe('the theme roadmap', () => {
  it('keeps a keyboard move by one state and a rename by the other, in both browsers', async () => {
    pages.sh = await openAs('sh');
    pages.mv = await openAs('mv');
    await bar(pages.sh, pilotId).waitFor();
    expect(await bar(pages.sh, pilotId).textContent()).toContain('SH · KI-Pilot Bürgerservice');

    // Anna moves the bar by three days with the arrow keys while Bernd renames it in the table.
    await pages.mv.getByRole('button', { name: 'Tabelle' }).click();
    const title = row(pages.mv, pilotId).locator('input[type="text"]');
    await title.click();
    // Bernd is shown on the bar while his cursor is in the row.
    await expect.poll(() => bar(pages.sh, pilotId).textContent()).toContain('Bernd Berg (MV)');
    await title.fill('KI-Pilot Bürgerservice, Phase 2');
    await bar(pages.sh, pilotId).focus();
    await Promise.all([
      (async () => {
        for (let i = 0; i < 3; i += 1) await pages.sh.keyboard.press('ArrowRight');
      })(),
      title.press('Enter'),
    ]);

    await expect.poll(() => milestoneNow(pilotId)?.title).toBe('KI-Pilot Bürgerservice, Phase 2');
    await expect.poll(() => milestoneNow(pilotId)?.start).toBe('2027-01-07');
    expect(milestoneNow(pilotId)?.end).toBe('2027-03-29');
    await expect.poll(() => bar(pages.sh, pilotId).getAttribute('aria-label')).toContain('Phase 2');
    expect(await bar(pages.sh, pilotId).getAttribute('aria-label')).toContain('07.01.2027');
    await expect
      .poll(() => row(pages.mv, pilotId).locator('input[type="date"]').first().inputValue())
      .toBe('2027-01-07');
    // Focus stayed on the moved bar, and Shift+arrow changes only the end.
    expect(await bar(pages.sh, pilotId).evaluate((element) => element === document.activeElement)).toBe(true);
    await pages.sh.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => milestoneNow(pilotId)?.end).toBe('2027-03-28');
    expect(milestoneNow(pilotId)?.start).toBe('2027-01-07');
  });

  it('moves a bar by dragging it, snapped to whole days', async () => {
    const page = pages.sh;
    // Hovering first waits until the element is still: focusing it may have started a smooth scroll.
    await bar(page, pilotId).locator('rect').nth(1).hover();
    const box = (await bar(page, pilotId).locator('rect').nth(1).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    // Two pixels per day: 27 pixels snap to 14 days.
    await page.mouse.move(box.x + box.width / 2 + 15, box.y + box.height / 2, { steps: 3 });
    await page.mouse.move(box.x + box.width / 2 + 27, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    await expect.poll(() => milestoneNow(pilotId)?.start).toBe('2027-01-21');
    expect(milestoneNow(pilotId)?.end).toBe('2027-04-11');
    expect(milestoneNow(pilotId)?.title).toBe('KI-Pilot Bürgerservice, Phase 2');
    await expect
      .poll(() => row(pages.mv, pilotId).locator('input[type="date"]').first().inputValue())
      .toBe('2027-01-21');
  });

  it('keeps the row one types in when a change from elsewhere takes it out of the filter', async () => {
    const page = pages.mv;
    await page.locator('#roadmap-filter-status').selectOption('in_progress');
    await expect.poll(() => page.locator('tr[data-milestone-id]').count()).toBe(1);
    const title = row(page, pilotId).locator('input[type="text"]');
    await title.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (Entwurf');
    // Someone marks the milestone done: it no longer matches Bernd's filter, but he is typing in it.
    roadmapOf(seed.doc).updateMilestone(pilotId, { status: 'done' });
    await expect.poll(() => page.locator(`#m-${pilotId}-status`).inputValue()).toBe('done');
    await page.keyboard.type(' mit SH)');
    await page.keyboard.press('Enter');
    await expect.poll(() => milestoneNow(pilotId)?.title).toBe('KI-Pilot Bürgerservice, Phase 2 (Entwurf mit SH)');
    // Once he leaves the row, the filter applies again.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => row(page, pilotId).count()).toBe(0);
    await page.locator('#roadmap-filter-status').selectOption('');
    roadmapOf(seed.doc).updateMilestone(pilotId, { title: 'KI-Pilot Bürgerservice, Phase 2', status: 'in_progress' });
    await expect.poll(() => title.inputValue()).toBe('KI-Pilot Bürgerservice, Phase 2');
  });

  it('creates a milestone with the keyboard alone', async () => {
    const page = pages.sh;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, page.getByRole('button', { name: 'Meilenstein anlegen' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('milestone-title');
    await page.keyboard.type('Registerabgleich Meldewesen');
    await page.keyboard.press('Tab');
    await page.keyboard.press('End'); // Theme: the last one, Künstliche Intelligenz
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    const created = () =>
      roadmapOf(seed.doc)
        .milestones()
        .find((m) => m.title === 'Registerabgleich Meldewesen');
    await expect.poll(() => created()?.themeId).toBe('theme-ki');
    expect(created()).toMatchObject({ start: null, end: null, status: 'planned', lead: 'joint' });
    await expect.poll(() => row(pages.mv, created()!.id).count()).toBe(1);
    // Undated, it waits at the start of its lane; focus went back to the button that opened the dialog.
    expect(await bar(page, created()!.id).textContent()).toContain('gemeinsam · Registerabgleich Meldewesen');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Meilenstein anlegen');

    // Its dates are set with the keyboard on the bar's dialog: Enter opens it for editing.
    await bar(page, created()!.id).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('milestone-title');
    await page.locator('#milestone-start').fill('2027-04-01');
    await page.locator('#milestone-end').fill('2027-09-30');
    await page.locator('#milestone-title').press('Enter');
    await expect.poll(() => created()?.end).toBe('2027-09-30');
    expect(created()?.start).toBe('2027-04-01');
  });

  it('shows values no client should write as invalid instead of failing', async () => {
    const map = seed.doc.getMap('milestones').get(pilotId) as import('yjs').Map<unknown>;
    seed.doc.transact(() => {
      map.set('end', '2026-12-01');
      map.set('status', 'kaputt');
    });
    await expect.poll(() => row(pages.mv, pilotId).textContent()).toContain('Das Ende liegt vor dem Beginn.');
    expect(await row(pages.mv, pilotId).textContent()).toContain('Status');
    await expect.poll(() => bar(pages.sh, pilotId).textContent()).toContain('ungültig · SH');
    expect(await bar(pages.sh, pilotId).getAttribute('aria-label')).toContain('Das Ende liegt vor dem Beginn.');
    seed.doc.transact(() => {
      map.set('end', '2027-04-11');
      map.set('status', 'in_progress');
    });
    await expect.poll(() => bar(pages.sh, pilotId).textContent()).not.toContain('ungültig');
  });

  it('passes axe in the timeline and the table view', async () => {
    for (const [page, name] of [
      [pages.sh, 'roadmap-timeline'],
      [pages.mv, 'roadmap-table'],
    ] as const) {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, name);
    }
  });

  it('shows a viewer the roadmap live, without any way to change it', async () => {
    const page = await openAs('viewer');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Leserechte' }).count()).toBe(1);
    await bar(page, pilotId).waitFor();
    expect(await page.getByRole('button', { name: 'Meilenstein anlegen' }).count()).toBe(0);
    expect(await bar(page, pilotId).getAttribute('tabindex')).toBeNull();
    expect(await bar(page, pilotId).getAttribute('role')).toBe('img');
    await bar(page, pilotId).locator('rect').nth(1).click();
    expect(await page.getByRole('dialog').count()).toBe(0);

    roadmapOf(seed.doc).updateMilestone(pilotId, { title: 'KI-Pilot live verfolgt' });
    await expect.poll(() => bar(page, pilotId).textContent()).toContain('KI-Pilot live verfolgt');

    await page.getByRole('button', { name: 'Tabelle' }).click();
    expect(await page.locator('table input, table select').count()).toBe(0);
    expect(await row(page, pilotId).textContent()).toContain('KI-Pilot live verfolgt');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roadmap-viewer');
    await page.context().close();
    await pages.sh.context().close();
    await pages.mv.context().close();
  });

  it('sends a reader whose session ended elsewhere to the login page, with the way back', async () => {
    const page = await openAs('viewer');
    await bar(page, pilotId).waitFor();
    // Logging out in another tab of the same browser ends the session this page's socket uses.
    expect((await page.request.post(web.url('/api/auth/logout'))).status()).toBe(204);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/documents/${roadmapId}`);
    await page.context().close();
  });

  it('refuses an impossible milestone date next to the field, and keeps the stored one', async () => {
    const page = await openAs('mv');
    await page.getByRole('button', { name: 'Tabelle' }).click();
    const start = page.locator(`#m-${pilotId}-start`);
    const stored = milestoneNow(pilotId)!.start;
    await typeImpossibleDate(page, start);
    await page.keyboard.press('Tab');
    await expect.poll(() => start.getAttribute('aria-invalid')).toBe('true');
    const messageId = (await start.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await page.locator(`#${messageId}`).textContent()).toContain('Kein gültiges Datum');
    expect(milestoneNow(pilotId)!.start).toBe(stored);
    // Escape puts the stored date back into the field.
    await start.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => start.getAttribute('aria-invalid')).toBeNull();
    expect(await start.inputValue()).toBe(stored);
    await page.context().close();
  }, 60_000);

  it('asks before it takes a date far from today, in the table and in the dialog', async () => {
    const page = await openAs('mv');
    await page.getByRole('button', { name: 'Tabelle' }).click();
    const end = page.locator(`#m-${pilotId}-end`);
    const stored = milestoneNow(pilotId)!.end;
    // 2099 typed for 2029: shown with a question next to the field, not stored, not sent to others.
    await end.fill('2099-12-31');
    const question = page.getByText('liegt mehr als 5 Jahre von heute entfernt');
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(1);
    expect((await end.getAttribute('aria-describedby'))!.split(' ')).toContain(
      await question.locator('..').getAttribute('id'),
    );
    expect(milestoneNow(pilotId)!.end).toBe(stored);
    expect(await seriousViolations(page)).toEqual([]);
    // Focus elsewhere keeps the question and the typed date; Enter in the field takes it.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    expect(await end.inputValue()).toBe('2099-12-31');
    await end.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => milestoneNow(pilotId)!.end).toBe('2099-12-31');
    await expect.poll(() => question.count()).toBe(0);
    // A date near today is taken at once, as before.
    await end.fill(stored!);
    await expect.poll(() => milestoneNow(pilotId)!.end).toBe(stored);

    // The dialog says it once next to the field; saving again takes it.
    await page.getByRole('button', { name: 'Meilenstein anlegen' }).click();
    const farYear = new Date().getFullYear() + 9;
    await page.locator('#milestone-title').fill('Zielbild 2035');
    await page.locator('#milestone-start').fill('2027-01-01');
    await page.locator('#milestone-end').fill(`${farYear}-12-31`);
    await page.locator('#milestone-title').press('Enter');
    const error = page.locator('#milestone-end-error');
    await expect
      .poll(() => error.textContent())
      .toContain(`31.12.${farYear} liegt mehr als 5 Jahre von heute entfernt`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('milestone-end');
    expect(await page.getByRole('dialog').count()).toBe(1);
    const created = () =>
      roadmapOf(seed.doc)
        .milestones()
        .find((m) => m.title === 'Zielbild 2035');
    expect(created()).toBeUndefined();
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('#milestone-title').press('Enter');
    await expect.poll(() => created()?.end).toBe(`${farYear}-12-31`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
