import { actionListOf, roadmapOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { hasSofficeCalc, readOds, sofficeCsv } from '../helpers/exported.ts';
import { connectClient, untilCommitted } from '../helpers/sync.ts';

let app: TestApp;
let owner: ApiClient & { id: string };
let roomId: string;
const calc = await hasSofficeCalc();

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  owner = await app.user('SH');
  roomId = (await owner.post('/api/rooms', { name: 'AG Tabellen' })).json.room.id;
});
afterAll(() => app.close());

const exportOf = (documentId: string, format: string) =>
  fetch(`${app.url}/api/documents/${documentId}/export?format=${format}`, { headers: { cookie: owner.cookie! } });

/** A new document of `kind`, filled by `fill` through a sync client, once committed (its CSV export shows `marker`). */
async function documentWith(kind: 'actions' | 'roadmap', title: string, fill: (doc: never) => void, marker: string) {
  const id = (await owner.post(`/api/rooms/${roomId}/documents`, { kind, title })).json.document.id as string;
  const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, id);
  await client.synced();
  fill(client.doc as never);
  await untilCommitted({ url: app.url, origin: app.origin, cookie: owner.cookie }, id, client.doc);
  expect(await (await exportOf(id, 'csv')).text()).toContain(marker);
  client.destroy();
  return id;
}

describe('exporting tables as OpenDocument spreadsheets', () => {
  let listId: string;
  let roadmapId: string;

  beforeAll(async () => {
    listId = await documentWith(
      'actions',
      'Maßnahmen Größe',
      (doc) => {
        const list = actionListOf(doc);
        list.addItem({ title: '=1+1 Übergabe an Dataport', ownerId: owner.id, organization: 'SH', due: '2027-02-15' });
        list.addItem({ title: 'Ohne Termin <&> "Anführung"', status: 'in_progress' });
      },
      'Ohne Termin',
    );
    roadmapId = await documentWith(
      'roadmap',
      'Roadmap Nord',
      (doc) => {
        const roadmap = roadmapOf(doc);
        roadmap.initialise();
        roadmap.addMilestone({ themeId: 'theme-ki', title: 'KI-Pilot Größe', start: '2027-01-01', end: '2027-06-30' });
      },
      'KI-Pilot',
    );
  });

  it('writes an action list as a valid ODS package with text, status and real date cells', async () => {
    const response = await exportOf(listId, 'ods');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect(response.headers.get('content-disposition')).toMatch(
      /Massnahmen Groesse AG Tabellen \d{4}-\d{2}-\d{2}\.ods"/,
    );
    const ods = await readOds(new Uint8Array(await response.arrayBuffer()));
    // ODF package rules: mimetype first, every part well-formed and listed in the manifest.
    expect(ods.entries[0]).toBe('mimetype');
    expect(ods.mimetype).toBe('application/vnd.oasis.opendocument.spreadsheet');
    for (const [part, valid] of Object.entries(ods.valid)) expect(valid, part).toBe(true);
    for (const part of ['content.xml', 'styles.xml', 'meta.xml'])
      expect(ods.xml['META-INF/manifest.xml']).toContain(`manifest:full-path="${part}"`);
    expect(ods.xml['content.xml']).toContain('office:version="1.3"');
    expect(ods.sheetName).toBe('Maßnahmen Größe');
    expect(ods.rows[0]!.map((cell) => cell.text)).toEqual([
      'Titel',
      'Verantwortlich',
      'Land/Organisation',
      'Fällig am',
      'Status',
      'Meilenstein',
      'Erstellt am',
      'Erledigt am',
    ]);
    const [first, second] = [ods.rows[1]!, ods.rows[2]!];
    // A formula-like title stays a string cell; no cell carries a formula.
    expect(first[0]).toEqual({ type: 'string', dateValue: undefined, text: '=1+1 Übergabe an Dataport' });
    expect(ods.xml['content.xml']).not.toContain('table:formula');
    expect(first[2]!.text).toBe('SH');
    expect(first[3]).toEqual({ type: 'date', dateValue: '2027-02-15', text: '15.02.2027' });
    expect(first[4]!.text).toBe('offen');
    expect(second[0]!.text).toBe('Ohne Termin <&> "Anführung"');
    expect(second[3]!.type).toBeUndefined();
    expect(second[4]!.text).toBe('in Bearbeitung');
  });

  it('writes a roadmap milestone table as ODS and refuses ODS for notes', async () => {
    const ods = await readOds(new Uint8Array(await (await exportOf(roadmapId, 'ods')).arrayBuffer()));
    expect(ods.rows[0]![1]!.text).toBe('Meilenstein');
    const pilot = ods.rows.find((row) => row[1]?.text === 'KI-Pilot Größe')!;
    expect(pilot[2]).toEqual({ type: 'date', dateValue: '2027-01-01', text: '01.01.2027' });
    expect(pilot[3]).toEqual({ type: 'date', dateValue: '2027-06-30', text: '30.06.2027' });
    const notes = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll' })).json
      .document.id;
    expect((await exportOf(notes, 'ods')).status).toBe(400);
  });

  it.runIf(calc)(
    'opens in LibreOffice Calc with the same cells, dates as dates',
    async () => {
      const bytes = new Uint8Array(await (await exportOf(listId, 'ods')).arrayBuffer());
      const lines = (await sofficeCsv(bytes, 'ods')).trim().split(/\r?\n/);
      expect(lines[0]).toBe(
        'Titel,Verantwortlich,Land/Organisation,Fällig am,Status,Meilenstein,Erstellt am,Erledigt am',
      );
      expect(lines[1]).toMatch(/^=1\+1 Übergabe an Dataport,[^,]+,SH,15\.02\.2027,offen,,\d{2}\.\d{2}\.\d{4},$/);
      expect(lines[2]).toMatch(/^"Ohne Termin <&> ""Anführung""",,,,in Bearbeitung,,\d{2}\.\d{2}\.\d{4},$/);
    },
    180_000,
  );
});
