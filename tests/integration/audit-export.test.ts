import { auditActions } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'));

describe('the audit log', () => {
  it('names subjects as they are called now, with the ids beside them', async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Erster Name' })).json.room;
    const document = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll 1' }))
      .json.document;
    await app.admin.patch(`/api/rooms/${room.id}`, { name: 'AG Neuer Name' });
    const { entries } = (await app.admin.get(`/api/admin/audit?roomId=${room.id}`)).json;
    const created = entries.find((e: { action: string }) => e.action === 'document.create');
    expect(created).toMatchObject({
      targetId: document.id,
      targetName: 'Protokoll 1',
      roomName: 'AG Neuer Name',
      actorName: 'Admin',
    });
  });

  it('exports the filtered log as CSV, with a safe file name, and records the export', async () => {
    const room = (await app.admin.post('/api/rooms', { name: '=HYPERLINK("x") AG Export' })).json.room;
    await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Roadmap; 2027' });
    const response = await app.admin.request('GET', `/api/admin/audit/export?roomId=${room.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="nordraum-protokoll-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = csvRows(response.text);
    expect(rows[0]).toContain('Aktion');
    const actions = rows.slice(1).map((row) => row[5]);
    // Only this room's entries: the filter applies.
    expect(actions.sort()).toEqual(['document.create', 'room.create']);
    expect(response.text).toContain('Dokument angelegt');
    expect(response.text).toContain('"Roadmap; 2027"');
    // A name that looks like a formula stays text in the spreadsheet.
    expect(response.text).toContain(`'=HYPERLINK(""x"") AG Export`);

    const { entries } = (await app.admin.get('/api/admin/audit?action=audit.export')).json;
    expect(entries[0]).toMatchObject({ action: 'audit.export', actorName: 'Admin' });
    expect(entries[0].details).toEqual({ filters: { roomId: room.id }, count: 2 });
  });

  it('lets only administrators export it', async () => {
    const person = await app.user('SH');
    expect((await person.request('GET', '/api/admin/audit/export')).status).toBe(403);
    expect((await app.anonymous().request('GET', '/api/admin/audit/export')).status).toBe(401);
  });

  it('lists every action the filter offers, and every one of them has a German label for the export', () => {
    expect(auditActions).toContain('document.export');
    expect(auditActions).toContain('audit.export');
  });
});
