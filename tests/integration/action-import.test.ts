import { type ActionItem, actionListOf } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let owner: ApiClient & { id: string; email: string };
let colleague: ApiClient & { id: string; email: string };
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  owner = await app.user('SH', { name: 'Frauke Østergaard' });
  colleague = await app.user('MV', { name: 'Jürgen Möller' });
  roomId = (await owner.post('/api/rooms', { name: 'AG Maßnahmen' })).json.room.id;
  await owner.put(`/api/rooms/${roomId}/members/${colleague.id}`, { role: 'editor' });
});
afterAll(() => app.close());

async function send(path: string, client: ApiClient, file: Uint8Array | string, name: string, fields = {}) {
  const form = new FormData();
  form.append('file', new Blob([file as BlobPart]), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  const response = await fetch(`${app.url}/api/rooms/${roomId}/${path}`, {
    method: 'POST',
    headers: { cookie: client.cookie ?? '', origin: app.origin },
    body: form,
  });
  return { status: response.status, json: await response.json() };
}
const preview = (file: Uint8Array | string, name: string, fields = {}) =>
  send('imports/preview', owner, file, name, fields);
const importFile = (file: Uint8Array | string, name: string, fields = {}) => send('imports', owner, file, name, fields);

async function itemsOf(documentId: string): Promise<ActionItem[]> {
  const response = await fetch(`${app.url}/api/documents/${documentId}/state`, { headers: { cookie: owner.cookie! } });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return actionListOf(doc).items();
}
const documentCount = async () => (await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length;

/** Four valid rows: a person by name, one by e-mail (in capitals), none; a separator inside quotes. */
const validCsv = () =>
  [
    'Maßnahme;Verantwortlich;Land;Fällig am;Status',
    'Schnittstelle „XÖV“ prüfen;Jürgen Möller;;15.02.2027;in Bearbeitung',
    `"Betrieb; Übergabe";${owner.email.toUpperCase()};DATAPORT;2027-03-01;offen`,
    'Ohne Person;;SH;;',
  ].join('\r\n');

describe('importing an action list from a spreadsheet', () => {
  it('previews a CSV: columns, a mapping suggested from German headers, rows with their errors; writes nothing', async () => {
    const before = await documentCount();
    const csv = `\uFEFF${validCsv()}\r\nKaputt;Niemand Bekannt;XX;31.02.2027;vielleicht\r\n;;;;erledigt`;
    const response = await preview(csv, 'massnahmen.csv');
    expect(response.status).toBe(200);
    expect(response.json.columns).toEqual(['Maßnahme', 'Verantwortlich', 'Land', 'Fällig am', 'Status']);
    expect(response.json.mapping).toEqual({ title: 0, owner: 1, organization: 2, due: 3, status: 4 });
    expect(response.json).toMatchObject({ total: 5, invalid: 2 });
    const [first, , , broken, untitled] = response.json.rows;
    expect(first).toMatchObject({ line: 2, errors: [] });
    expect(first.values.title).toBe('Schnittstelle „XÖV“ prüfen');
    expect(broken.errors.map((error: { code: string }) => error.code)).toEqual([
      'unknown_person',
      'unknown_organization',
      'bad_date',
      'unknown_status',
    ]);
    expect(untitled.errors).toEqual([{ field: 'title', code: 'required' }]);
    expect(await documentCount()).toBe(before);
  });

  it('imports a valid CSV into a new action list with people resolved by name and e-mail among the members', async () => {
    const response = await importFile(validCsv(), 'massnahmen.csv', { title: 'Maßnahmen aus dem Workshop' });
    expect(response.status).toBe(201);
    expect(response.json.document).toMatchObject({ kind: 'actions', title: 'Maßnahmen aus dem Workshop', roomId });
    const items = await itemsOf(response.json.document.id);
    expect(
      items.map(({ title, ownerId, organization, due, status }) => ({ title, ownerId, organization, due, status })),
    ).toEqual([
      // The owner's organisation when the row names none.
      {
        title: 'Schnittstelle „XÖV“ prüfen',
        ownerId: colleague.id,
        organization: 'MV',
        due: '2027-02-15',
        status: 'in_progress',
      },
      { title: 'Betrieb; Übergabe', ownerId: owner.id, organization: 'DATAPORT', due: '2027-03-01', status: 'open' },
      { title: 'Ohne Person', ownerId: null, organization: 'SH', due: null, status: 'open' },
    ]);
    const { rows } = await app.database.db.execute(
      sql`select details from audit_log where action = 'document.import' and target_id = ${response.json.document.id}`,
    );
    expect(rows[0]!.details).toMatchObject({ format: 'csv', rows: 3 });
  });

  it('refuses a file with invalid rows with 422 and the rows, and writes nothing', async () => {
    const before = await documentCount();
    const csv = `${validCsv()}\r\n${'Ü'.repeat(201)};Jemand Fremdes;SH;2027-13-01;offen`;
    const response = await importFile(csv, 'fehler.csv');
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe('rows_invalid');
    expect(response.json.error.message).toContain('nothing was imported');
    expect(response.json).toMatchObject({ total: 4, invalid: 1 });
    expect(response.json.rows).toEqual([
      {
        line: 5,
        values: expect.objectContaining({ owner: 'Jemand Fremdes', due: '2027-13-01' }),
        errors: [
          { field: 'title', code: 'too_long' },
          { field: 'owner', code: 'unknown_person' },
          { field: 'due', code: 'bad_date' },
        ],
      },
    ]);
    expect(await documentCount()).toBe(before);
  });

  it('imports an XLSX with English headers, real date cells and a mapping given by the client', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Actions');
    sheet.addRow(['Notes', 'Task', 'Due date', 'Owner', 'State']);
    sheet.addRow(['egal', 'Pilot vorbereiten', new Date('2027-04-30T00:00:00Z'), colleague.email, 'done']);
    sheet.addRow(['', 'Bericht schreiben', '1.5.27', 'Frauke Østergaard', 'Blocked']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    const suggested = await preview(bytes, 'actions.xlsx');
    expect(suggested.json.mapping).toEqual({ title: 1, owner: 3, organization: null, due: 2, status: 4 });
    expect(suggested.json.invalid).toBe(0);

    // The person leaves the owner out: the column is mapped to nothing.
    const mapping = JSON.stringify({ title: 1, owner: null, organization: null, due: 2, status: 4 });
    const response = await importFile(bytes, 'actions.xlsx', { mapping });
    expect(response.status).toBe(201);
    expect(response.json.document.title).toBe('actions');
    const items = await itemsOf(response.json.document.id);
    expect(items.map(({ title, ownerId, due, status }) => ({ title, ownerId, due, status }))).toEqual([
      { title: 'Pilot vorbereiten', ownerId: null, due: '2027-04-30', status: 'done' },
      { title: 'Bericht schreiben', ownerId: null, due: '2027-05-01', status: 'blocked' },
    ]);
  });

  it('refuses wrong types, bad mappings, outsiders and viewers without creating anything', async () => {
    const before = await documentCount();
    const wrong = await importFile('x', 'liste.pdf', { kind: 'actions' });
    expect(wrong.status).toBe(415);
    expect(wrong.json.error.message).toContain('CSV');
    const noTitle = await importFile(validCsv(), 'a.csv', {
      mapping: JSON.stringify({ title: null, owner: 1, organization: null, due: null, status: null }),
    });
    expect(noTitle.status).toBe(400);
    expect((await importFile(validCsv(), 'a.csv', { mapping: '{"title":"A"}' })).status).toBe(400);
    expect((await importFile(new Uint8Array([0xff, 0xfe, 0x00, 0xd8]), 'a.csv')).status).toBe(400);
    const outsider = await app.user('NI');
    expect((await send('imports/preview', outsider, validCsv(), 'a.csv')).status).toBe(404);
    expect((await send('imports', outsider, validCsv(), 'a.csv')).status).toBe(404);
    const viewer = await app.user('SH');
    await owner.put(`/api/rooms/${roomId}/members/${viewer.id}`, { role: 'viewer' });
    expect((await send('imports/preview', viewer, validCsv(), 'a.csv')).status).toBe(403);
    expect((await send('imports', viewer, validCsv(), 'a.csv')).status).toBe(403);
    const big = new Uint8Array(21 * 1024 * 1024).fill(0x61);
    const tooLarge = await preview(big, 'gross.csv');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.code).toBe('payload_too_large');
    expect(await documentCount()).toBe(before);
  });
});
