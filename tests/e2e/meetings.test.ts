import { actionListOf } from '@nordraum/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  expectHeading,
  freshPage,
  openDocumentAs,
  type RoomWithLists,
  roomWithLists,
  startWeb,
  type WebFixture,
} from './web-support.ts';

// A steering committee meeting as people run it: an SH editor plans three agenda items, makes the
// minutes, writes them together with an MV colleague in another browser, and records a decision
// with a follow-up action during the meeting; then the register is filtered and printed.

const password = 'Sitzungs-Passwort 2026';
const sh = { email: 'svea.sievers@sh.example', name: 'Svea Sievers', org: 'SH', password };
const mv = { email: 'malte.meier@mv.example', name: 'Malte Meier', org: 'MV', password };
const reader = { email: 'vera.viewer@dataport.example', name: 'Vera Viewer', org: 'DATAPORT', password };

let fixture: WebFixture;
let room: RoomWithLists;
let ids: Record<'sh' | 'mv' | 'reader', string>;
let meetingUrl: string;

async function signedIn(person: { email: string; password: string }, path: string): Promise<Page> {
  const page = await freshPage(fixture);
  expect((await page.request.post(fixture.url('/api/auth/login'), { data: person })).status()).toBe(200);
  await page.goto(fixture.url(path));
  return page;
}

beforeAll(async () => {
  fixture = await startWeb();
  ids = {
    sh: await fixture.createUser(sh),
    mv: await fixture.createUser(mv),
    reader: await fixture.createUser(reader),
  };
  room = await roomWithLists(
    fixture,
    { room: 'Lenkungskreis Nord', roadmap: 'Roadmap 2026', list: 'Maßnahmen Lenkungskreis' },
    { [ids.sh]: 'editor', [ids.mv]: 'editor', [ids.reader]: 'viewer' },
  );
}, 120_000);

afterAll(() => {
  room?.roadmap.destroy();
  room?.list.destroy();
  return fixture?.close();
});

describe('a meeting', () => {
  it('is planned with three agenda items from the room page, and its page is clean for axe', async () => {
    const page = await signedIn(sh, `/rooms/${room.roomId}`);
    await page.getByRole('link', { name: 'Sitzungen', exact: true }).click();
    await expectHeading(page, 'Sitzungen: Lenkungskreis Nord');
    await checkPage(page, 'meetings-empty');

    await page.locator('#meeting-title').fill('Lenkungskreis 1/2026');
    await page.locator('#meeting-starts').fill('2026-03-12T10:00');
    await page.locator('#meeting-ends').fill('2026-03-12T12:00');
    await page.locator('#meeting-location').fill('Landeshaus Kiel, Raum 142');
    const titles = ['Begrüßung', 'Roadmap 2026', 'Maßnahmen'];
    for (const [index, title] of titles.entries()) {
      if (index > 0) await page.getByRole('button', { name: 'Tagesordnungspunkt hinzufügen' }).click();
      await page.getByLabel(`Titel von TOP ${index + 1}`, { exact: true }).fill(title);
    }
    await page.getByLabel('Dokument zu TOP 2').selectOption({ label: 'Roadmap 2026 (Roadmap)' });
    await page.getByLabel('Malte Meier (MV)').check();
    await page.getByRole('button', { name: 'Sitzung anlegen' }).click();
    await page.getByRole('link', { name: '„Lenkungskreis 1/2026“ öffnen' }).click();

    await expectHeading(page, 'Lenkungskreis 1/2026');
    meetingUrl = new URL(page.url()).pathname;
    await expect
      .poll(() => page.getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['TOP 1: Begrüßung', 'TOP 2: Roadmap 2026', 'TOP 3: Maßnahmen']);
    await expect
      .poll(() => page.locator('.meeting__people li').allInnerTexts())
      .toEqual([expect.stringMatching(/^Malte Meier\s+MV/), expect.stringMatching(/^Svea Sievers\s+SH/)]);
    const ics = await page.request.get(fixture.url(`/api${meetingUrl}/invitation.ics`));
    expect(await ics.text()).toContain('SUMMARY:Lenkungskreis 1/2026');
    await checkPage(page, 'meeting');
  }, 120_000);

  it('has minutes from its agenda that two browsers write together', async () => {
    const page = await signedIn(sh, meetingUrl);
    await page.getByRole('button', { name: 'Protokoll aus der Tagesordnung anlegen' }).click();
    const link = page.getByRole('link', { name: 'Protokoll öffnen' });
    const documentId = (await link.getAttribute('href'))!.split('/').pop()!;
    const [first, second] = [
      await openDocumentAs(fixture, sh, documentId),
      await openDocumentAs(fixture, mv, documentId),
    ];
    const editor = (tab: Page) => tab.locator('.ProseMirror');
    await expect
      .poll(() => editor(first).locator('h2').allInnerTexts())
      .toEqual(['TOP 1: Begrüßung', 'TOP 2: Roadmap 2026', 'TOP 3: Maßnahmen']);
    // The empty paragraph under TOP 1.
    await editor(first).locator('p').nth(1).click();
    await first.keyboard.type('Alle Länder sind vertreten.');
    await expect.poll(() => editor(second).innerText()).toContain('Alle Länder sind vertreten.');
    await editor(second).locator('p').nth(2).click();
    await second.keyboard.type('Die Roadmap wird vorgestellt.');
    await expect.poll(() => editor(first).innerText()).toContain('Die Roadmap wird vorgestellt.');
    await checkPage(first, 'meeting-minutes');
  }, 120_000);

  it('records a decision with a follow-up action on an agenda item, live in the action list', async () => {
    const page = await signedIn(sh, meetingUrl);
    const item = page.locator('#top-2');
    await item.getByText('Beschluss zu TOP 2 erfassen').click();
    await item.getByLabel('Titel', { exact: true }).fill('Roadmap 2026 wird beschlossen');
    await item.getByLabel(/^Wortlaut/).fill('Der Lenkungskreis beschließt die Roadmap in der vorgelegten Fassung.');
    await item.getByRole('button', { name: 'Folgemaßnahme hinzufügen' }).click();
    await item.getByLabel('Maßnahme', { exact: true }).fill('Roadmap veröffentlichen');
    await item.getByLabel(/^Verantwortlich/).selectOption({ label: 'Malte Meier (MV)' });
    await item.getByLabel(/^Land\/Organisation/).selectOption('MV');
    await item.getByLabel(/^Fällig am/).fill('2026-04-30');
    // A missing title is shown next to the field, and nothing is recorded.
    await item.getByLabel('Titel', { exact: true }).fill('');
    await item.getByRole('button', { name: 'Beschluss erfassen' }).click();
    await expect.poll(() => item.locator('.kern-error').allInnerTexts()).toHaveLength(1);
    await item.getByLabel('Titel', { exact: true }).fill('Roadmap 2026 wird beschlossen');
    await item.getByRole('button', { name: 'Beschluss erfassen' }).click();

    await expect
      .poll(() => item.locator('table tbody th').allInnerTexts())
      .toEqual([expect.stringMatching(/^LK-\d{4}-001$/)]);
    await expect
      .poll(() =>
        actionListOf(room.list.doc)
          .items()
          .map((action) => [action.title, action.ownerId, action.organization, action.due]),
      )
      .toEqual([['Roadmap veröffentlichen', ids.mv, 'MV', '2026-04-30']]);
    await checkPage(page, 'meeting-decision');

    // The agenda changes after the decision: the item keeps its id, so the decision stays under it.
    await page.getByText('Sitzung bearbeiten').click();
    await page.getByLabel('Titel von TOP 3', { exact: true }).fill('Maßnahmen und Verschiedenes');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['TOP 1: Begrüßung', 'TOP 2: Roadmap 2026', 'TOP 3: Maßnahmen und Verschiedenes']);
    expect(await item.locator('table tbody th').allInnerTexts()).toEqual([expect.stringMatching(/^LK-\d{4}-001$/)]);
  }, 120_000);
});

describe('the decision register', () => {
  it('filters, exports and prints; a viewer reads it without the form', async () => {
    const page = await signedIn(reader, `/rooms/${room.roomId}/decisions`);
    await expectHeading(page, 'Beschlussregister: Lenkungskreis Nord');
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Beschluss erfassen' }).count()).toBe(0);
    await page.locator('#filter-text').fill('keine solche');
    await expect.poll(() => page.getByText('Keine Beschlüsse passen zu den Filtern.').count()).toBe(1);
    await page.locator('#filter-text').fill('roadmap');
    await page.locator('#filter-status').selectOption('beschlossen');
    await expect.poll(() => rows.count()).toBe(1);
    const href = await page.getByRole('link', { name: 'Als CSV exportieren' }).getAttribute('href');
    expect(href).toContain('status=beschlossen');
    const csv = await page.request.get(fixture.url(href!));
    expect(await csv.text()).toContain('Roadmap 2026 wird beschlossen');
    await checkPage(page, 'decisions');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('#filter-text').isVisible()).toBe(false);
    expect(await rows.first().isVisible()).toBe(true);
    await checkPage(page, 'decisions-print');
  }, 120_000);

  it('speaks English and is clean for axe at phone width', async () => {
    const page = await freshPage(fixture);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.request.post(fixture.url('/api/auth/login'), { data: mv });
    expect((await page.request.patch(fixture.url('/api/me'), { data: { locale: 'en' } })).status()).toBe(200);
    await page.goto(fixture.url(`/rooms/${room.roomId}/decisions`));
    await expectHeading(page, 'Decision register: Lenkungskreis Nord');
    await checkPage(page, 'decisions-phone-en');
    await page.goto(fixture.url(meetingUrl));
    await expectHeading(page, 'Lenkungskreis 1/2026');
    await page.getByRole('heading', { name: 'Agenda' }).waitFor();
    await checkPage(page, 'meeting-phone-en');
  }, 120_000);
});

describe('linked versions', () => {
  it('are picked with the keyboard in the decision form, named in the register, and open the version', async () => {
    const named = async (name: string) =>
      (await fixture.api.post(`/api/documents/${room.roadmapId}/versions`, { name })).json.version.id as string;
    const draft = await named('Entwurf Februar');
    await named('Vorlage Lenkungskreis');
    const page = await signedIn(sh, `/rooms/${room.roomId}/decisions`);
    await expectHeading(page, 'Beschlussregister: Lenkungskreis Nord');
    await page.locator('#decision-title').fill('Roadmap 2026: Fassung zur Veröffentlichung');
    await page.getByRole('button', { name: 'Version verknüpfen' }).focus();
    await page.keyboard.press('Enter');
    const documentSelect = page.getByLabel('Dokument', { exact: true });
    await documentSelect.selectOption({ label: 'Roadmap 2026' });
    const versionSelect = page.getByLabel('Version', { exact: true });
    // Named versions first, the newest on top; the keyboard goes from the document to its version.
    await expect
      .poll(async () => (await versionSelect.locator('option').allInnerTexts()).slice(0, 2))
      .toEqual([
        expect.stringMatching(/^Benannt: Vorlage Lenkungskreis \(/),
        expect.stringMatching(/^Benannt: Entwurf Februar \(/),
      ]);
    await documentSelect.focus();
    await page.keyboard.press('Tab');
    expect(await versionSelect.evaluate((element) => element === document.activeElement)).toBe(true);
    await versionSelect.selectOption(draft);
    await checkPage(page, 'decision-form-versions');
    await page.getByRole('button', { name: 'Beschluss erfassen' }).focus();
    await page.keyboard.press('Enter');

    const link = page.getByRole('link', { name: /^Roadmap 2026 – Benannt: Entwurf Februar \(/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/documents/${room.roadmapId}?version=${draft}`);
    await checkPage(page, 'decisions-versions');

    // The register as PDF, with the filters shown.
    await page.locator('#filter-status').selectOption('beschlossen');
    const pdfHref = await page.getByRole('link', { name: 'Als PDF exportieren' }).getAttribute('href');
    expect(pdfHref).toContain('status=beschlossen');
    expect(pdfHref).toContain('format=pdf');
    const pdf = await page.request.get(fixture.url(pdfHref!));
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    await link.click();
    await page
      .getByText(/Version „Entwurf Februar“ vom/)
      .first()
      .waitFor();
    expect(new URL(page.url()).search).toBe(`?version=${draft}`);
  }, 120_000);
});
