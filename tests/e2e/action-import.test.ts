import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, checkPage, expectHeading, freshPage, login, startWeb, tabTo, type WebFixture } from './web-support.ts';

let web: WebFixture;
let roomId: string;

beforeAll(async () => {
  web = await startWeb();
  roomId = (await web.api.post('/api/rooms', { name: 'AG Maßnahmen' })).json.room.id;
  const colleague = await web.createUser({
    email: 'juergen.moeller@mv.example',
    name: 'Jürgen Möller',
    org: 'MV',
    password: 'Ein langes Passwort 2027',
  });
  await web.api.put(`/api/rooms/${roomId}/members/${colleague}`, { role: 'editor' });
}, 120_000);
afterAll(() => web?.close());

const csv = [
  'Maßnahme;Verantwortlich;Fällig am;Status',
  'Schnittstelle prüfen;Jürgen Möller;15.02.2027;in Bearbeitung',
  'Bericht an die Staatskanzlei;Erika Unbekannt;31.02.2027;offen',
].join('\r\n');

describe('importing an action list from a CSV file', () => {
  it('maps the columns, marks invalid rows before anything is written, and imports once all rows are valid', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(page, 'AG Maßnahmen');
    await page.getByLabel('Datei').setInputFiles({
      name: 'Maßnahmen Workshop.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('button', { name: 'Importieren', exact: true }).click();

    // The mapping step gets focus, suggested from the German headers.
    const mappingHeading = page.getByRole('heading', { name: 'Spalten zuordnen' });
    await expect.poll(() => mappingHeading.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.getByLabel('Titel (Pflicht)').inputValue()).toBe('0');
    expect(await page.getByLabel('Verantwortlich (Name oder E-Mail-Adresse)').inputValue()).toBe('1');
    expect(await page.getByLabel('Land/Organisation').inputValue()).toBe('');

    // The second row is marked and explained; the import refuses while it is there.
    const table = page.locator('.action-import__table');
    await expect.poll(() => table.locator('caption').textContent()).toContain('2 Zeilen gelesen, 1 davon ungültig');
    const bad = table.locator('tr[data-line="3"]');
    expect(await bad.getAttribute('class')).toContain('action-import__invalid');
    const problems = await bad.textContent();
    expect(problems).toContain('„Erika Unbekannt“ gehört nicht zu diesem Datenraum');
    expect(problems).toContain('„31.02.2027“ ist kein gültiges Datum');
    expect(await table.locator('tr[data-line="2"]').textContent()).toContain('in Ordnung');
    const submit = page.getByRole('button', { name: 'Maßnahmen importieren' });
    expect(await submit.getAttribute('aria-disabled')).toBe('true');
    await checkPage(page, 'action-import-preview');
    await submit.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('link', { name: 'Maßnahmen Workshop' }).count()).toBe(0);
    expect(await bad.isVisible()).toBe(true);

    // Leaving out the owner and the date by keyboard: the preview follows, with no invalid row.
    for (const label of ['Verantwortlich (Name oder E-Mail-Adresse)', 'Fällig am']) {
      const select = page.getByLabel(label);
      await tabTo(page, select);
      await select.selectOption({ label: '– nicht übernehmen –' });
    }
    await expect.poll(() => table.locator('caption').textContent()).toContain('2 Zeilen gelesen, 0 davon ungültig');
    expect(await page.getByRole('status').filter({ hasText: 'Vorschau aktualisiert' }).count()).toBe(1);
    await page.getByLabel('Titel der neuen Maßnahmenliste').fill('Maßnahmen aus dem Workshop');
    await tabTo(page, submit);
    await page.keyboard.press('Enter');

    await expect
      .poll(() => page.getByText('„Maßnahmen aus dem Workshop“ wurde mit 2 Maßnahmen angelegt.').count())
      .toBe(1);
    await page.getByRole('link', { name: 'Maßnahmen aus dem Workshop', exact: true }).first().click();
    await expectHeading(page, 'Maßnahmen aus dem Workshop');
    await expect.poll(() => page.locator('body').textContent()).toContain('Bericht an die Staatskanzlei');
    expect(await page.locator('body').textContent()).toContain('Schnittstelle prüfen');
    await page.context().close();
  });

  it('refuses a file of the wrong type next to the field, before anything is sent', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(page, 'AG Maßnahmen');
    await page
      .getByLabel('Datei')
      .setInputFiles({ name: 'liste.ods', mimeType: 'application/zip', buffer: Buffer.from('PK') });
    await page.getByRole('button', { name: 'Importieren', exact: true }).click();
    await expect.poll(() => page.getByText('sowie Tabellen als CSV (.csv) oder Excel (.xlsx)').count()).toBe(1);
    await page.context().close();
  });

  it('shows the upload progress of a large file', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(page, 'AG Maßnahmen');
    // About 1 MB over a connection slowed to 256 KiB/s: the upload takes seconds, long enough to see.
    const rows = Array.from({ length: 4_000 }, (_, index) => `Maßnahme ${index + 1} ${'ä'.repeat(100)};;;offen`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await page.getByLabel('Datei').setInputFiles({
      name: 'gross.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['Titel;Verantwortlich;Fällig am;Status', ...rows].join('\n'), 'utf8'),
    });
    await page.getByRole('button', { name: 'Importieren', exact: true }).click();
    const progress = page.getByRole('progressbar', { name: 'Fortschritt des Hochladens' });
    await expect.poll(() => progress.count()).toBe(1);
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('.action-import__table caption').textContent(), { timeout: 60_000 })
      .toContain('4000 Zeilen gelesen, 0 davon ungültig');
    expect(await progress.count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
