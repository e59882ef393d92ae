import { actionListOf, blocksText, exportHeading, notesToMarkdown, roadmapOf, writeNotesTree } from '@nordraum/domain';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProtocol } from '../../packages/domain/src/export/sample-protocol.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { hasSoffice, normalise, readOdt, readPdf, sofficeText } from '../helpers/exported.ts';
import { connectClient, untilCommitted } from '../helpers/sync.ts';

let app: TestApp;
let owner: ApiClient & { id: string };
let roomId: string;
let documentId: string;
const soffice = await hasSoffice();
const title = 'Workshop-Protokoll Größe/Übung: „Datenräume“';
const target = () => ({ url: app.url, origin: app.origin, cookie: owner.cookie });

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  owner = await app.user('SH');
  roomId = (await owner.post('/api/rooms', { name: 'AG Prüfung' })).json.room.id;
  documentId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title })).json.document.id;
  const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, documentId);
  await client.synced();
  writeNotesTree(client.doc, sampleProtocol());
  await untilCommitted(target(), documentId, client.doc);
  client.destroy();
});
afterAll(() => app.close());

async function download(client: ApiClient, query: string) {
  const response = await fetch(`${app.url}/api/documents/${documentId}/export?${query}`, {
    headers: { cookie: client.cookie ?? '' },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Every text line of the protocol, the title and the heading lines first. */
const expectedLines = () => blocksText(sampleProtocol());

describe('exporting a protocol', () => {
  it('writes an ODT (ODF 1.3) with headings, lists, task lists, tables, links and marks, and the header', async () => {
    const { response, bytes } = await download(owner, 'format=odt');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.oasis.opendocument.text');
    const disposition = response.headers.get('content-disposition')!;
    // Slash and colon are not allowed in file names; the ASCII fallback spells out umlauts.
    expect(disposition).toMatch(
      /^attachment; filename="Workshop-Protokoll Groesse-Uebung- Datenraeume AG Pruefung \d{4}-\d{2}-\d{2}\.odt"; filename\*=UTF-8''Workshop-Protokoll%20Gr%C3%B6%C3%9Fe-%C3%9Cbung-%20%E2%80%9EDatenr%C3%A4ume%E2%80%9C%20AG%20Pr%C3%BCfung%20\d{4}-\d{2}-\d{2}\.odt$/,
    );
    // The package rule: mimetype first and stored, so `file` and office suites recognise it.
    expect(Buffer.from(bytes.subarray(30, 38)).toString()).toBe('mimetype');
    expect(Buffer.from(bytes.subarray(38, 77)).toString()).toBe('application/vnd.oasis.opendocument.text');
    const odt = await readOdt(bytes);
    expect(odt.entries).toEqual(
      expect.arrayContaining(['content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml']),
    );
    for (const result of Object.values(odt.valid)) expect(result).toBe(true);
    expect(odt.xml['content.xml']).toContain('office:version="1.3"');
    expect(odt.xml['meta.xml']).toContain(`<dc:title>Workshop-Protokoll Größe/Übung: „Datenräume“</dc:title>`);
    expect(odt.xml['styles.xml']).toContain('<text:page-number');
    expect(odt.xml['styles.xml']).toContain('AG Prüfung · Workshop-Protokoll Größe/Übung: „Datenräume“ · Stand: ');
    expect(odt.lines.slice(0, 2)).toEqual([title, 'Datenraum: AG Prüfung']);
    expect(odt.lines.slice(3)).toEqual(expectedLines());
    const levels = odt.elements
      .filter((element) => element.name === 'text:h')
      .map((element) => element.attributes['text:outline-level']);
    expect(levels).toEqual(['1', '2', '3', '4']);
    const lists = odt.elements
      .filter((element) => element.name === 'text:list')
      .map((element) => element.attributes['text:style-name']);
    expect(lists).toEqual(['L_ordered', 'L_bullet', 'L_bullet', 'L_task_open']);
    const overrides = odt.elements.filter((element) => element.attributes['text:style-override']);
    expect(overrides.map((element) => element.attributes['text:style-override'])).toEqual([
      'L_task_done',
      'L_task_open',
    ]);
    expect(odt.elements.filter((element) => element.name === 'table:table-header-rows')).toHaveLength(1);
    expect(odt.elements.find((element) => element.name === 'text:a')?.attributes['xlink:href']).toBe(
      'https://example.org/datenraum?a=1&b=ä',
    );
    const spans = odt.elements
      .filter((element) => element.name === 'text:span')
      .map((element) => element.attributes['text:style-name']);
    expect(spans).toEqual(expect.arrayContaining(['T_bold', 'T_italic', 'T_bold_italic']));
  });

  it.runIf(soffice)(
    'writes an ODT that LibreOffice opens with the same text',
    async () => {
      const { bytes } = await download(owner, 'format=odt');
      const text = await sofficeText(bytes, 'odt');
      for (const line of [title, ...expectedLines()]) for (const part of line.split('\n')) expect(text).toContain(part);
    },
    180_000,
  );

  it('writes a tagged PDF: PDF/UA identification, language, title, structure, embedded fonts, the text', async () => {
    const { response, bytes } = await download(owner, 'format=pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/\.pdf$/);
    const pdf = await readPdf(bytes);
    expect(pdf.raw.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf.marked).toBe(true);
    expect(pdf.raw).toContain('/StructTreeRoot');
    expect(pdf.raw).toContain('/Lang (de-DE)');
    expect(pdf.raw).toContain('/DisplayDocTitle true');
    expect(pdf.raw).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(pdf.info.Title).toBe(title);
    // Every font is embedded (TrueType subsets); none of the unembedded standard 14.
    expect(pdf.raw).toContain('/FontFile2');
    expect(pdf.raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    for (const role of [
      'Document',
      'H1',
      'H2',
      'H3',
      'H4',
      'P',
      'L',
      'LI',
      'Lbl',
      'LBody',
      'Table',
      'TR',
      'TH',
      'TD',
      'Link',
    ])
      expect(pdf.roles).toContain(role);
    const heading = ['Datenraum: AG Prüfung'];
    expect(pdf.text.startsWith(normalise([title, ...heading].join(' ')))).toBe(true);
    expect(pdf.text.endsWith(normalise(expectedLines().join(' ')))).toBe(true);
    expect(pdf.text).toContain('Stand: ');
  });

  it('writes a DOCX that reads back with headings, lists, tables, links, marks and the text', async () => {
    const { response, bytes } = await download(owner, 'format=docx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const buffer = Buffer.from(bytes);
    const { value: html } = await mammoth.convertToHtml({ buffer });
    expect(html).toContain(`<h1>${title.replace('„', '„')}</h1>`);
    expect(html).toContain('<h2>Anlass und Ergebnisse</h2>');
    expect(html).toContain('<h3>Tagesordnung</h3>');
    expect(html).toContain('<h4>Maßnahmen</h4>');
    expect(html).toContain('<strong>Schleswig-Holstein</strong>');
    expect(html).toContain('<em>Mecklenburg-Vorpommern</em>');
    expect(html).toContain('<a href="https://example.org/datenraum?a=1&amp;b=ä">Datenräume</a>');
    expect(html).toMatch(
      /<ol><li>Begrüßung<\/li><li>Übergabe an das Lenkungsgremium<ul><li>Größe der Öffnung<\/li><\/ul><\/li><\/ol>/,
    );
    expect(html).toContain('<p>☑ Einladung verschickt</p>');
    expect(html).toContain('<p>☐ Bericht für die Staatskanzlei</p>');
    expect(html).toMatch(/<table><thead><tr><th><p><strong>Land<\/strong><\/p><\/th>/);
    const { value: text } = await mammoth.extractRawText({ buffer });
    const paragraphs = text.split('\n').filter(Boolean);
    for (const line of expectedLines())
      for (const part of line.split('\n')) expect(paragraphs.join('\n')).toContain(part);
  });

  it('writes Markdown that is the protocol as GFM', async () => {
    const { response, bytes } = await download(owner, 'format=md');
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const markdown = new TextDecoder().decode(bytes);
    const heading = exportHeading({ title, roomName: 'AG Prüfung', now: new Date() });
    const expected = notesToMarkdown(sampleProtocol(), heading);
    // The Stand differs by the minute the request took; everything else is the same.
    const withoutStand = (text: string) => text.replace(/Stand: [^*]*/, '');
    expect(withoutStand(markdown)).toBe(withoutStand(expected));
  });
});

describe('exporting a version', () => {
  it('exports the stored version, names it in the header and the file, and 404s an unknown one', async () => {
    const version = (await owner.post(`/api/documents/${documentId}/versions`, { name: 'Entwurf 1' })).json.version;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, documentId);
    await client.synced();
    writeNotesTree(client.doc, [{ type: 'paragraph', runs: [{ text: 'Ganz neu' }] }]);
    await untilCommitted(target(), documentId, client.doc);
    client.destroy();
    const { response, bytes } = await download(owner, `format=odt&version=${version.id}`);
    expect(response.status).toBe(200);
    const odt = await readOdt(bytes);
    expect(odt.lines[2]).toMatch(/^Version „Entwurf 1“ vom \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr$/);
    expect(odt.lines).toContain('Einladung verschickt');
    expect(odt.lines).not.toContain('Ganz neu');
    const missing = await owner.get(
      `/api/documents/${documentId}/export?format=pdf&version=00000000-0000-4000-8000-000000000000`,
    );
    expect(missing.status).toBe(404);
    // Put the protocol back for the other tests.
    const again = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, documentId);
    await again.synced();
    writeNotesTree(again.doc, sampleProtocol());
    await untilCommitted(target(), documentId, again.doc);
    again.destroy();
  });
});

describe('exporting again', () => {
  it('gives the same file while nothing changed, the edit made since, and a kept file only to readers', async () => {
    const id = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Wiederholt' })).json
      .document.id;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, id);
    await client.synced();
    const paragraph = (text: string) => ({ type: 'paragraph' as const, runs: [{ text }] });
    const pdfOf = async () => {
      const response = await fetch(`${app.url}/api/documents/${id}/export?format=pdf`, {
        headers: { cookie: owner.cookie ?? '' },
      });
      expect(response.status).toBe(200);
      return new Uint8Array(await response.arrayBuffer());
    };
    /** Writes `texts` as the document's paragraphs and waits until the server holds them. */
    const write = async (texts: string[]) => {
      writeNotesTree(client.doc, texts.map(paragraph));
      await untilCommitted(target(), id, client.doc);
    };
    await write(['Erste Fassung']);
    expect((await readPdf(await pdfOf())).text).toContain('Erste Fassung');
    // Two exports in a row are the same file (unless the minute in the header turned between them).
    let same = false;
    for (let attempt = 0; attempt < 2 && !same; attempt++) same = Buffer.from(await pdfOf()).equals(await pdfOf());
    expect(same).toBe(true);
    await write(['Erste Fassung', 'Zweite Fassung']);
    expect((await readPdf(await pdfOf())).text).toContain('Zweite Fassung');
    // The export worker follows the document by its changes: deletions and Markdown too.
    await write(['Zweite Fassung', 'Dritte Fassung', 'Vierte Fassung']);
    const markdown = (await owner.get(`/api/documents/${id}/export?format=md`)).text;
    expect(markdown).toContain('Dritte Fassung');
    expect(markdown).not.toContain('Erste Fassung');
    const text = (await readPdf(await pdfOf())).text;
    expect(text).toContain('Dritte Fassung');
    expect(text).not.toContain('Erste Fassung');
    client.destroy();
    const outsider = await app.user('MV');
    expect((await outsider.get(`/api/documents/${id}/export?format=pdf`)).status).toBe(404);
  });
});

describe('who may export what', () => {
  it('refuses formats that do not fit the kind, and hides the document from outsiders', async () => {
    expect((await owner.get(`/api/documents/${documentId}/export?format=csv`)).status).toBe(400);
    expect((await owner.get(`/api/documents/${documentId}/export?format=xyz`)).status).toBe(400);
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
      .document;
    expect((await owner.get(`/api/documents/${list.id}/export?format=pdf`)).status).toBe(400);
    const outsider = await app.user('MV');
    expect((await outsider.get(`/api/documents/${documentId}/export?format=pdf`)).status).toBe(404);
    expect((await app.anonymous().get(`/api/documents/${documentId}/export?format=pdf`)).status).toBe(401);
  });

  it('answers a file, a refusal and JSON with the request id the client sent, or one of its own', async () => {
    const given = await fetch(`${app.url}/api/documents/${documentId}/export?format=md`, {
      headers: { cookie: owner.cookie ?? '', 'x-request-id': 'export-1' },
    });
    const text = new Uint8Array(await given.arrayBuffer());
    expect(given.headers.get('x-request-id')).toBe('export-1');
    expect(Number(given.headers.get('content-length'))).toBe(text.byteLength);
    expect(given.headers.get('content-disposition')).toContain('.md');
    const { response, bytes } = await download(owner, 'format=pdf');
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    const refused = await fetch(`${app.url}/api/documents/${documentId}/export?format=csv`, {
      headers: { cookie: owner.cookie ?? '', 'x-request-id': 'export-2' },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-request-id')).toBe('export-2');
    const me = await fetch(`${app.url}/api/me`, { headers: { cookie: owner.cookie ?? '', 'x-request-id': 'me-1' } });
    expect(me.headers.get('x-request-id')).toBe('me-1');
    expect((await me.json()).user.id).toBe(owner.id);
  });

  it('lets a viewer export and audits every export with its format', async () => {
    const viewer = await app.user('MV');
    await owner.put(`/api/rooms/${roomId}/members/${viewer.id}`, { role: 'viewer' });
    expect((await download(viewer, 'format=docx')).response.status).toBe(200);
    const audit = await app.admin.get(`/api/admin/audit?roomId=${roomId}`);
    const exports = audit.json.entries.filter(
      (entry: { action: string; actor?: { id: string } }) => entry.action === 'document.export',
    );
    expect(exports.map((entry: { details: { format: string } }) => entry.details.format)).toEqual(
      expect.arrayContaining(['odt', 'pdf', 'docx', 'md']),
    );
  });
});

describe('exporting roadmaps and action lists', () => {
  it('writes a roadmap as XLSX with date cells and as a tagged PDF with a timeline figure and a table', async () => {
    const roadmapDoc = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'roadmap', title: 'Roadmap 2027' }))
      .json.document;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, roadmapDoc.id);
    await client.synced();
    const roadmap = roadmapOf(client.doc);
    roadmap.initialise();
    roadmap.addMilestone({
      themeId: 'theme-ki',
      title: 'KI-Pilot Größe',
      start: '2027-01-01',
      end: '2027-06-30',
      lead: 'SH',
    });
    const undated = roadmap.addMilestone({ themeId: 'theme-open-source', title: 'Ohne Termin' });
    const get = (format: string) =>
      fetch(`${app.url}/api/documents/${roadmapDoc.id}/export?format=${format}`, {
        headers: { cookie: owner.cookie! },
      });
    await untilCommitted(target(), roadmapDoc.id, client.doc);

    const xlsx = await get('xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toMatch(/Roadmap 2027 AG Pruefung \d{4}-\d{2}-\d{2}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Thema');
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const pilot = rows.find((row) => row[2] === 'KI-Pilot Größe')!;
    expect(pilot[3]).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(sheet.getRow(2).getCell(3).numFmt ?? sheet.getCell(`C${rows.indexOf(pilot) + 2}`).numFmt).toBe('dd.mm.yyyy');

    const pdfResponse = await get('pdf');
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    const pdf = await readPdf(new Uint8Array(await pdfResponse.arrayBuffer()));
    expect(pdf.marked).toBe(true);
    expect(pdf.raw).toContain('/Lang (de-DE)');
    for (const role of ['H1', 'Figure', 'Table', 'TH', 'TD']) expect(pdf.roles).toContain(role);
    expect(
      pdf.alts.find((alt) => alt.startsWith('Zeitleiste der Roadmap: 1 Meilensteine mit Termin in 5 Handlungsfeldern')),
    ).toBeTruthy();
    expect(pdf.text).toContain('Alle Meilensteine');
    expect(pdf.text).toContain('KI-Pilot Größe');
    expect(pdf.text, pdf.text).toContain('Ohne Termin');
    expect(pdf.text).toContain('01.01.2027 30.06.2027 geplant SH');
    expect((await get('odt')).status).toBe(400);
    // The export worker follows the roadmap by its changes: a milestone renamed.
    roadmap.updateMilestone(undated, { title: 'Später terminiert' });
    await untilCommitted(target(), roadmapDoc.id, client.doc);
    expect(await (await get('csv')).text()).toContain('Später terminiert');
    const renamed = await readPdf(new Uint8Array(await (await get('pdf')).arrayBuffer()));
    expect(renamed.text).toContain('Später terminiert');
    expect(renamed.text).not.toContain('Ohne Termin');
    client.destroy();
  });

  it('writes an action list as XLSX, next to CSV and iCalendar', async () => {
    const listDoc = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
      .document;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, listDoc.id);
    await client.synced();
    actionListOf(client.doc).addItem({
      title: '=1+1 Übergabe',
      ownerId: owner.id,
      organization: 'SH',
      due: '2027-02-15',
    });
    const get = (format: string) =>
      fetch(`${app.url}/api/documents/${listDoc.id}/export?format=${format}`, { headers: { cookie: owner.cookie! } });
    await untilCommitted(target(), listDoc.id, client.doc);
    client.destroy();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await get('xlsx')).arrayBuffer());
    const row = workbook.worksheets[0]!.getRow(2);
    // A formula-like title stays text.
    expect(row.getCell(1).value).toBe('=1+1 Übergabe');
    expect(row.getCell(3).value).toBe('SH');
    expect(row.getCell(4).value).toEqual(new Date('2027-02-15T00:00:00Z'));
    expect(row.getCell(5).value).toBe('offen');
    expect((await get('ics')).status).toBe(200);
    expect((await get('pdf')).status).toBe(400);
  });
});
