import { readFile } from 'node:fs/promises';
import { blocksText, writeNotesTree } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProtocol } from '../../packages/domain/src/export/sample-protocol.ts';
import { readOdt, readPdf } from '../helpers/exported.ts';
import { connectClient, untilCommitted } from '../helpers/sync.ts';
import {
  admin,
  checkPage,
  expectHeading,
  freshPage,
  login,
  openDocumentAs,
  startWeb,
  untilLive,
  type WebFixture,
} from './web-support.ts';

let web: WebFixture;
let documentId: string;
let roomId: string;
const title = 'Workshop-Protokoll Übergabe';

beforeAll(async () => {
  web = await startWeb();
  const room = (await web.api.post('/api/rooms', { name: 'AG Größe' })).json.room;
  roomId = room.id;
  documentId = (await web.api.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title })).json.document.id;
  const client = connectClient({ url: web.url(''), origin: web.url(''), cookie: web.api.cookie }, documentId);
  await client.synced();
  writeNotesTree(client.doc, sampleProtocol());
  await untilCommitted({ url: web.url(''), origin: web.url(''), cookie: web.api.cookie }, documentId, client.doc);
  client.destroy();
}, 120_000);
afterAll(() => web?.close());

describe('the export menu of a protocol', () => {
  it('offers the formats, passes axe, and downloads PDF and ODT named after the protocol, the room and the day', async () => {
    const page = await openDocumentAs(web, admin, documentId);
    await page.getByText('Exportieren', { exact: true }).click();
    const links = page.locator('.export-menu a');
    await expect
      .poll(() => links.allTextContents())
      .toEqual(['PDF (barrierefrei, PDF/UA)', 'OpenDocument-Text (ODT)', 'Word (DOCX)', 'Markdown']);
    await checkPage(page, 'export-menu');

    const name = /^Workshop-Protokoll Übergabe AG Größe \d{4}-\d{2}-\d{2}\.(pdf|odt)$/;
    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'PDF (barrierefrei, PDF/UA)' }).click(),
    ]);
    expect(pdfDownload.suggestedFilename()).toMatch(name);
    expect(pdfDownload.suggestedFilename().endsWith('.pdf')).toBe(true);
    const pdf = await readPdf(new Uint8Array(await readFile((await pdfDownload.path())!)));
    expect(pdf.marked).toBe(true);
    expect(pdf.text).toContain('Bericht für die Staatskanzlei');

    await page.getByText('Exportieren', { exact: true }).click();
    const [odtDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'OpenDocument-Text (ODT)' }).click(),
    ]);
    expect(odtDownload.suggestedFilename()).toMatch(name);
    expect(odtDownload.suggestedFilename().endsWith('.odt')).toBe(true);
    const odt = await readOdt(new Uint8Array(await readFile((await odtDownload.path())!)));
    expect(odt.lines.slice(3)).toEqual(blocksText(sampleProtocol()));
    await page.context().close();
  });

  it('prints the document without the application around it', async () => {
    const page = await openDocumentAs(web, admin, documentId);
    await page.emulateMedia({ media: 'print' });
    const visible = async (selector: string) => page.locator(selector).first().isVisible();
    expect(await visible('.app-header')).toBe(false);
    expect(await visible('.export-menu')).toBe(false);
    expect(await visible('[role="toolbar"]')).toBe(false);
    expect(await visible('.comments')).toBe(false);
    expect(await page.getByText('Bericht für die Staatskanzlei', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1, name: title }).isVisible()).toBe(true);
    await page.context().close();
  });
});

describe('a new protocol from a template', () => {
  it('is offered in the form, passes axe, and starts with the workshop outline', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(page, 'AG Größe');
    await page.getByLabel('Art des Dokuments').selectOption({ label: 'Workshop-Protokoll' });
    const template = page.getByRole('combobox', { name: /^Vorlage/ });
    await expect
      .poll(() => template.locator('option').allTextContents())
      .toEqual(['Ohne Vorlage (leer)', 'Workshop-Protokoll', 'Sitzung des Lenkungskreises']);
    await template.selectOption({ label: 'Workshop-Protokoll' });
    await checkPage(page, 'document-from-template');
    await page.getByLabel('Titel', { exact: true }).fill('Workshop Kiel');
    await page.getByRole('button', { name: 'Dokument anlegen' }).click();
    await page.getByRole('link', { name: 'Workshop Kiel', exact: true }).click();
    await expectHeading(page, 'Workshop Kiel');
    await untilLive(page);
    const editor = page.locator('.ProseMirror');
    await expect.poll(() => editor.getByRole('heading', { name: 'Tagesordnung' }).count()).toBe(1);
    expect(await editor.locator('table').count()).toBe(2);
    await expect.poll(() => editor.textContent()).toContain('Ort/Video:');
    await page.context().close();
  });
});

describe('importing a DOCX', () => {
  it('creates a protocol from the file, with its headings and tables, and the form passes axe', async () => {
    const docx = await fetch(web.url(`/api/documents/${documentId}/export?format=docx`), {
      headers: { cookie: web.api.cookie ?? '' },
    });
    const bytes = Buffer.from(await docx.arrayBuffer());
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(page, 'AG Größe');
    // A wrong type is refused next to the field, before anything is sent.
    await page
      .getByLabel('Datei')
      .setInputFiles({ name: 'bild.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await page.getByRole('button', { name: 'Importieren' }).click();
    await expect.poll(() => page.getByText('Importiert werden Markdown-').count()).toBe(1);
    await checkPage(page, 'import-form-error');

    await page.getByLabel('Datei').setInputFiles({
      name: 'Protokoll.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: bytes,
    });
    await page.getByRole('button', { name: 'Importieren' }).click();
    // The file's title heading names the new document; the room lists it.
    await expect.poll(() => page.getByRole('link', { name: title, exact: true }).count()).toBe(2);
    await page.getByRole('link', { name: title, exact: true }).first().click();
    await untilLive(page);
    const editor = page.locator('.ProseMirror');
    await expect.poll(() => editor.getByRole('heading', { name: 'Tagesordnung' }).count()).toBe(1);
    expect(await editor.locator('table').count()).toBe(1);
    await expect.poll(() => editor.textContent()).toContain('Bericht für die Staatskanzlei');
    await page.context().close();
  });
});
