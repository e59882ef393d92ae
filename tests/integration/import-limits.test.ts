import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderPool } from '../../apps/server/src/export/render-pool.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { deflated, docxDocument, docxOf, repeatedStream, type ZipEntry, zipOf } from '../helpers/zip-bomb.ts';

let app: TestApp;
let member: ApiClient & { id: string };
let roomId: string;

beforeAll(async () => {
  app = await startTestApp();
  member = await app.user('SH');
  roomId = (await member.post('/api/rooms', { name: 'AG Upload' })).json.room.id;
});
afterAll(() => app.close());

async function send(path: 'imports' | 'imports/preview', bytes: Uint8Array | string, name: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart]), name);
  const response = await fetch(`${app.url}/api/rooms/${roomId}/${path}`, {
    method: 'POST',
    headers: { cookie: member.cookie ?? '', origin: app.origin },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), length: text.length };
}
const documentCount = async () => (await member.get(`/api/rooms/${roomId}/documents`)).json.documents.length;

const paragraph = '<w:p><w:r><w:t>Bombe</w:t></w:r></w:p>';

/** An entry that unpacks to `megabytes` MB of `unit` while its headers claim `claimedSize` bytes. */
function lyingEntry(name: string, unit: string, megabytes: number, claimedSize: number): ZipEntry {
  return { name, stored: repeatedStream(unit, megabytes).stored, method: 8, claimedSize };
}

function expectRefusedAsUnpackedTooLarge(response: { status: number; json: any }) {
  expect(response.status).toBe(413);
  expect(response.json.error).toMatchObject({ code: 'payload_too_large', fields: { file: 'unpacks too large' } });
  expect(response.json.error.message).toContain('nothing was imported');
}

describe('an upload that unpacks to far more than it weighs', () => {
  it('imports a small DOCX built the same way, so the refusals below are the limits', async () => {
    const response = await send(
      'imports',
      docxOf(deflated('word/document.xml', docxDocument(paragraph))),
      'klein.docx',
    );
    expect(response.status).toBe(201);
  });

  it('refuses a DOCX whose document.xml honestly unpacks to 25 MB, at once and without creating anything', async () => {
    const before = await documentCount();
    const document = deflated(
      'word/document.xml',
      docxDocument(paragraph.repeat((25 * 1024 * 1024) / paragraph.length)),
    );
    const bytes = docxOf(document);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    expectRefusedAsUnpackedTooLarge(await send('imports', bytes, 'bombe.docx'));
    // Reading it would take mammoth well over a minute and gigabytes.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await documentCount()).toBe(before);
  });

  it('refuses a DOCX whose headers claim 2 KB for a document.xml of 1 GB', async () => {
    const bomb = docxOf(lyingEntry('word/document.xml', paragraph, 1024, 2_000));
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    expectRefusedAsUnpackedTooLarge(await send('imports', bomb, 'luege.docx'));
  });

  it('refuses a DOCX of parts each within the limit that together unpack to over 100 MB', async () => {
    const images = Array.from({ length: 6 }, (_, index) =>
      lyingEntry(`word/media/image${index + 1}.png`, '\0', 19, 19 * 1024 * 1024),
    );
    const bytes = docxOf(deflated('word/document.xml', docxDocument(paragraph)), images);
    expectRefusedAsUnpackedTooLarge(await send('imports', bytes, 'bilder.docx'));
  });

  it('refuses an ODT and an XLSX (import and preview) whose content lies about its size', async () => {
    const odt = zipOf([
      deflated('mimetype', 'application/vnd.oasis.opendocument.text'),
      lyingEntry('content.xml', '<text:p>Bombe</text:p>', 1024, 2_000),
    ]);
    expectRefusedAsUnpackedTooLarge(await send('imports', odt, 'luege.odt'));
    const xlsx = zipOf([
      deflated('[Content_Types].xml', '<?xml version="1.0"?><Types/>'),
      lyingEntry('xl/sharedStrings.xml', '<si><t>Bombe</t></si>', 1024, 2_000),
    ]);
    expectRefusedAsUnpackedTooLarge(await send('imports/preview', xlsx, 'luege.xlsx'));
    expectRefusedAsUnpackedTooLarge(await send('imports', xlsx, 'luege.xlsx'));
  });

  it('refuses a zip of 20,000 empty entries', async () => {
    const empty = (index: number): ZipEntry => ({
      name: `word/leer${index}.xml`,
      stored: new Uint8Array(),
      method: 0,
      claimedSize: 0,
    });
    const entries = Array.from({ length: 20_000 }, (_, index) => empty(index));
    expectRefusedAsUnpackedTooLarge(await send('imports', docxOf(entries[0]!, entries.slice(1)), 'viele.docx'));
  });

  it('takes an ODT of a few hundred bytes whose spaces claim to be 500 million as 500 spaces', async () => {
    const spaces = '<text:s text:c="100000000"/>'.repeat(5);
    const odt = zipOf([
      deflated('mimetype', 'application/vnd.oasis.opendocument.text'),
      deflated(
        'content.xml',
        `<office:document-content><office:body><office:text><text:p>Vor${spaces}nach</text:p></office:text></office:body></office:document-content>`,
      ),
    ]);
    expect(odt.length).toBeLessThan(1_000);
    const started = performance.now();
    const response = await send('imports', odt, 'leer.odt');
    expect(response.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(5_000);
    const state = await fetch(`${app.url}/api/documents/${response.json.document.id}/state`, {
      headers: { cookie: member.cookie! },
    });
    expect((await state.arrayBuffer()).byteLength).toBeLessThan(10_000);
  });

  it('still serves imports afterwards', async () => {
    expect((await send('imports', '# Danach\n\nText', 'danach.md')).status).toBe(201);
  });
});

describe('Markdown that would keep the server busy', () => {
  function expectRefusedAsTooComplex(response: { status: number; json: any }) {
    expect(response.status).toBe(413);
    expect(response.json.error).toMatchObject({ code: 'payload_too_large', fields: { file: 'too complex' } });
    expect(response.json.error.message).toContain('nothing was imported');
  }

  it('refuses 400 KB of unclosed emphasis (a minute of marked before) after its time, without creating anything', async () => {
    const before = await documentCount();
    const started = performance.now();
    expectRefusedAsTooComplex(await send('imports', '*a'.repeat(200_000), 'sterne.md'));
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await documentCount()).toBe(before);
  }, 40_000);

  it('refuses 300,000 paragraphs in under a megabyte, and 50,000 nested quotes', async () => {
    expectRefusedAsTooComplex(await send('imports', 'a\n\n'.repeat(300_000), 'absaetze.md'));
    expectRefusedAsTooComplex(await send('imports', `${'>'.repeat(50_000)} tief`, 'zitate.md'));
  }, 40_000);

  it('still imports a long protocol', async () => {
    const part =
      '## Punkt\n\nDie **AG** hat [beschlossen](https://example.org), dass *alles* gut `ist`.\n\n- eins\n- zwei\n\n';
    expect((await send('imports', part.repeat(2_000), 'lang.md')).status).toBe(201);
  });
});

describe('a spreadsheet whose cells are long', () => {
  it('answers preview and import with cells cut to 1,000 characters, though XLSX cells share one long string', async () => {
    const long = 'L'.repeat(100_000);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Maßnahmen');
    sheet.addRow(['Titel', 'Verantwortlich', 'Land', 'Fällig am', 'Status']);
    for (let row = 0; row < 500; row += 1) sheet.addRow([long, long, long, long, long]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const preview = await send('imports/preview', bytes, 'lang.xlsx');
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ total: 500, invalid: 500 });
    expect(preview.json.rows[0].values.title).toHaveLength(1_000);
    expect(preview.json.rows[0].errors).toContainEqual({ field: 'title', code: 'too_long' });
    // Before, each of the 2,500 cells came back whole: 250 MB.
    expect(preview.length).toBeLessThan(5 * 1024 * 1024);
    const refused = await send('imports', bytes, 'lang.xlsx');
    expect(refused.status).toBe(422);
    expect(refused.length).toBeLessThan(5 * 1024 * 1024);
  });

  it('reads no more than the 1,001 columns a mapping can name', async () => {
    const csv = `Titel${';x'.repeat(100_000)}\nEine Maßnahme`;
    const preview = await send('imports/preview', csv, 'breit.csv');
    expect(preview.status).toBe(200);
    expect(preview.json.columns).toHaveLength(1_001);
  });
});

describe('a file within every limit that is still too much to read', () => {
  it('is refused as too complex when reading it takes the render process past its heap, and nothing is created', async () => {
    // A render process with a heap far below what this DOCX takes to read (about 70 bytes a byte
    // of document.xml): as a crafted file within the limits would do to the default one.
    const renderer = createRenderPool({ heapMiB: 32 });
    const small = await startTestApp({ exportRenderer: renderer, database: app.database });
    try {
      const form = new FormData();
      const text = docxDocument(paragraph.repeat((4 * 1024 * 1024) / paragraph.length));
      form.append('file', new Blob([docxOf(deflated('word/document.xml', text)) as BlobPart]), 'gross.docx');
      const before = await documentCount();
      const response = await fetch(`${small.url}/api/rooms/${roomId}/imports`, {
        method: 'POST',
        headers: { cookie: member.cookie ?? '', origin: small.origin },
        body: form,
      });
      expect(response.status).toBe(413);
      expect((await response.json()).error).toMatchObject({
        code: 'payload_too_large',
        fields: { file: 'too complex' },
      });
      expect(await documentCount()).toBe(before);
    } finally {
      await small.close();
      await renderer.close();
    }
  });
});
