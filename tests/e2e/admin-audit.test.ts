import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, checkPage, expectHeading, freshPage, login, startWeb, type WebFixture } from './web-support.ts';

let web: WebFixture;
let documentId: string;
const title = 'Roadmap Registermodernisierung 2027';

beforeAll(async () => {
  web = await startWeb();
  const personId = await web.createUser({
    email: 'jana.jensen@sh.example',
    name: 'Jana Jensen',
    org: 'SH',
    password: 'Jensens Passwort 2026',
  });
  const room = (await web.api.post('/api/rooms', { name: 'AG Registermodernisierung' })).json.room;
  await web.api.put(`/api/rooms/${room.id}/members/${personId}`, { role: 'editor' });
  documentId = (await web.api.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Entwurf' })).json
    .document.id;
  expect((await web.api.request('GET', `/api/documents/${documentId}/export?format=csv`)).status).toBe(200);
  // Renamed afterwards: the log shows the name it has now.
  await web.api.patch(`/api/documents/${documentId}`, { title });
}, 120_000);
afterAll(() => web?.close());

describe('the audit log page', () => {
  it('shows labels, current names and sentences, filters by every action and downloads the filtered CSV', async () => {
    const page = await freshPage(web);
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(web, page, admin.email, admin.password, '/admin/audit');
    await expectHeading(page, 'Protokoll');
    await expect.poll(() => page.getByText(/Gefundene Einträge/).count()).toBe(1);
    const table = page.locator('table');
    await expect.poll(() => table.getByText('Dokument exportiert', { exact: true }).count()).toBe(1);
    // The subject by its current name, its id on hover; never the raw code or JSON.
    const subject = table.getByText(`Dokument: ${title}`).first();
    expect(await subject.getAttribute('title')).toContain(documentId);
    expect(await table.textContent()).not.toContain(`Dokument: ${documentId}`);
    expect(await table.getByText('Rolle: Bearbeitung.', { exact: true }).count()).toBe(1);
    expect(await table.getByText('Format: CSV.', { exact: true }).count()).toBe(1);
    expect(await table.textContent()).not.toMatch(/[{}]|document\.export/);
    await checkPage(page, 'admin-audit-labels');

    // Every action is in the filter, the export too.
    const options = await page.getByLabel('Aktion').locator('option').allTextContents();
    expect(options).toContain('Dokument exportiert');
    expect(options).toContain('Protokoll exportiert');
    await page.getByLabel('Aktion').selectOption({ label: 'Dokument exportiert' });
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.getByText('Gefundene Einträge: 1').count()).toBe(1);

    const download = page.getByRole('link', { name: 'Als CSV herunterladen' });
    await expect.poll(() => download.getAttribute('href')).toContain('action=document.export');
    const href = (await download.getAttribute('href'))!;
    const csv = await page.request.get(web.url(href));
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(title);
    expect(lines[1]).toContain('Dokument exportiert');

    // At a phone's width the page stays usable and clean.
    await page.setViewportSize({ width: 390, height: 844 });
    await checkPage(page, 'admin-audit-phone');
    await page.context().close();
  }, 90_000);
});
