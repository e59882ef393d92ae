import { actionListOf, berlinDay, roadmapOf } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import {
  committedAfterMark,
  connectClient,
  eventually,
  type SyncClient,
  type SyncTarget,
  untilCommitted,
} from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

async function actionListWith(owner: ApiClient, members: { user: { id: string }; role: string }[]) {
  const room = (await owner.post('/api/rooms', { name: 'AG Maßnahmen' })).json.room;
  for (const { user, role } of members) await owner.put(`/api/rooms/${room.id}/members/${user.id}`, { role });
  const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'actions', title: 'Maßnahmen 2027' }))
    .json.document;
  const client = connectClient(as(owner), document.id);
  await client.synced();
  return { room, document, client };
}

const titles = async (user: ApiClient) =>
  ((await user.get('/api/my-actions')).json.actions as { title: string }[]).map((a) => a.title);

describe('my actions across rooms', () => {
  let owner: ApiClient & { id: string };
  let mvEditor: ApiClient & { id: string };
  let outsider: ApiClient & { id: string };
  let list: { client: SyncClient; document: { id: string }; room: { id: string } };

  beforeAll(async () => {
    owner = await app.user('SH');
    mvEditor = await app.user('MV');
    outsider = await app.user('MV');
    list = await actionListWith(owner, [{ user: mvEditor, role: 'editor' }]);
  });
  afterAll(() => list.client.destroy());

  it('shows an action within seconds of it being assigned, and only to people who may see the room', async () => {
    const actions = actionListOf(list.client.doc);
    actions.addItem({
      title: 'Registerabgleich vorbereiten',
      ownerId: mvEditor.id,
      organization: 'MV',
      due: '2026-12-01',
    });
    actions.addItem({ title: 'Schon erledigt', ownerId: mvEditor.id, status: 'done' });
    actions.addItem({ title: 'Für jemand ohne Zugang', ownerId: outsider.id });
    expect(await eventually(async () => (await titles(mvEditor)).includes('Registerabgleich vorbereiten'))).toBe(true);
    const mine = (await mvEditor.get('/api/my-actions')).json.actions;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      documentId: list.document.id,
      roomId: list.room.id,
      roomName: 'AG Maßnahmen',
      due: '2026-12-01',
      status: 'open',
    });
    expect(await titles(outsider)).toEqual([]);
  });

  it('drops an action once it is done', async () => {
    const actions = actionListOf(list.client.doc);
    const id = actions.items().find((item) => item.title === 'Registerabgleich vorbereiten')!.id;
    actions.updateItem(id, { status: 'done' });
    expect(await eventually(async () => (await titles(mvEditor)).length === 0)).toBe(true);
  });

  it('writes only the rows an edit changed, and removes a deleted action', async () => {
    const actions = actionListOf(list.client.doc);
    const rows = async () =>
      (
        await app.database.db.execute<{ item_id: string; title: string; updated_at: string }>(
          sql`select item_id, title, updated_at::text from action_index where document_id = ${list.document.id}`,
        )
      ).rows;
    const keep = actions.addItem({ title: 'Bleibt, wie es ist', ownerId: owner.id });
    const rename = actions.addItem({ title: 'Alter Titel', ownerId: owner.id });
    const remove = actions.addItem({ title: 'Wird gelöscht', ownerId: owner.id });
    expect(await eventually(async () => (await rows()).some((row) => row.item_id === remove))).toBe(true);
    const before = new Map((await rows()).map((row) => [row.item_id, row]));

    actions.updateItem(rename, { title: 'Neuer Titel' });
    actions.removeItem(remove);
    // Two updates, which a loaded server may commit (and index) one after the other: wait for both.
    expect(
      await eventually(
        async () =>
          (await titles(owner)).includes('Neuer Titel') && !(await rows()).some((row) => row.item_id === remove),
      ),
    ).toBe(true);
    const after = new Map((await rows()).map((row) => [row.item_id, row]));
    expect(after.has(remove)).toBe(false);
    expect(after.get(rename)!.updated_at).not.toBe(before.get(rename)!.updated_at);
    // Every row the edit did not touch is still the one written before.
    for (const [itemId, row] of after) if (itemId !== rename) expect(row).toEqual(before.get(itemId));
    expect(after.get(keep)!.title).toBe('Bleibt, wie es ist');
  });

  it('is rebuilt from the documents on demand', async () => {
    actionListOf(list.client.doc).addItem({ title: 'Nach dem Neuaufbau', ownerId: mvEditor.id });
    expect(await eventually(async () => (await titles(mvEditor)).includes('Nach dem Neuaufbau'))).toBe(true);
    await app.database.db.execute(sql`delete from action_index`);
    expect(await titles(mvEditor)).toEqual([]);
    expect((await mvEditor.post('/api/admin/action-index/rebuild')).status).toBe(403);
    const rebuilt = await app.admin.post('/api/admin/action-index/rebuild');
    expect(rebuilt.json.lists).toBeGreaterThanOrEqual(1);
    expect(await titles(mvEditor)).toEqual(['Nach dem Neuaufbau']);
  });
});

describe('exports', () => {
  it('exports an action list as CSV and iCalendar, checks access and records the export', async () => {
    const owner = await app.user('SH', { name: 'Jörg Größer' });
    const viewer = await app.user('MV');
    const { document, client } = await actionListWith(owner, [{ user: viewer, role: 'viewer' }]);
    const actions = actionListOf(client.doc);
    actions.addItem({ title: '=HYPERLINK("http://evil.example","Klick")', ownerId: owner.id, due: '2026-12-15' });
    actions.addItem({
      title: 'Übergabe an DVZ, Teil 2',
      organization: 'DVZ',
      due: '2027-01-10',
      status: 'in_progress',
    });
    await untilCommitted(as(owner), document.id, client.doc);

    const csv = await viewer.get(`/api/documents/${document.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // The day in Berlin, where the working groups are, not in UTC.
    const today = berlinDay(new Date());
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="Massnahmen 2027 AG Massnahmen ${today}.csv"; filename*=UTF-8''Ma%C3%9Fnahmen%202027%20AG%20Ma%C3%9Fnahmen%20${today}.csv`,
    );
    // fetch's text() drops a byte order mark, so look at the bytes.
    const raw = new Uint8Array(
      await (
        await fetch(`${app.url}/api/documents/${document.id}/export`, { headers: { cookie: viewer.cookie! } })
      ).arrayBuffer(),
    );
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""Klick"")";Jörg Größer;;15.12.2026;offen;`);
    expect(csv.text).toContain('Übergabe an DVZ, Teil 2;;DVZ;10.01.2027;in Bearbeitung;');

    const ics = await owner.get(`/api/documents/${document.id}/export?format=ics`);
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(ics.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''Ma%C3%9Fnahmen%202027%20AG%20Ma%C3%9Fnahmen%20${today}.ics`,
    );
    // All-day events by default: Outlook and others ignore to-dos.
    expect(ics.text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics.text).not.toContain('VTODO');
    expect(ics.text).toContain('DTSTART;VALUE=DATE:20261215\r\nDTEND;VALUE=DATE:20261216\r\n');
    expect(ics.text).toContain('SUMMARY:Übergabe an DVZ\\, Teil 2\r\n');
    const first = actions.items()[0]!;
    expect(ics.text.replaceAll('\r\n ', '')).toContain(`URL:${app.origin}/documents/${document.id}#action-${first.id}`);
    const todo = await owner.get(`/api/documents/${document.id}/export?format=ics&type=todo`);
    expect(todo.text.match(/BEGIN:VTODO/g)).toHaveLength(2);
    expect(todo.text).toContain('DUE;VALUE=DATE:20261215\r\n');

    const outsider = await app.user('NI');
    expect((await outsider.get(`/api/documents/${document.id}/export`)).status).toBe(404);
    const { rows } = await app.database.db.execute(
      sql`select count(*)::int as n from audit_log where action = 'document.export' and target_id = ${document.id}`,
    );
    expect(rows[0]!.n).toBe(4);
    client.destroy();
  });

  it("exports the title of each linked milestone, and '(entfernt)' only for one that is gone", async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Verknüpft' })).json.room;
    const create = async (kind: string, title: string) =>
      (await owner.post(`/api/rooms/${room.id}/documents`, { kind, title })).json.document;
    const roadmapDoc = await create('roadmap', 'Roadmap 2027');
    const listDoc = await create('actions', 'Maßnahmen');
    const roadmapClient = connectClient(as(owner), roadmapDoc.id);
    const listClient = connectClient(as(owner), listDoc.id);
    await Promise.all([roadmapClient.synced(), listClient.synced()]);
    const roadmap = roadmapOf(roadmapClient.doc);
    const kept = roadmap.addMilestone({ themeId: 'theme-ki', title: 'KI-Pilot abgeschlossen' });
    const gone = roadmap.addMilestone({ themeId: 'theme-ki', title: 'Wird gelöscht' });
    const actions = actionListOf(listClient.doc);
    actions.addItem({ title: 'Pilot auswerten', roadmapId: roadmapDoc.id, milestoneId: kept });
    actions.addItem({ title: 'Hing am Gelöschten', roadmapId: roadmapDoc.id, milestoneId: gone });
    actions.addItem({ title: 'Ohne Meilenstein' });
    roadmap.removeMilestone(gone);
    const csv = async () => (await owner.get(`/api/documents/${listDoc.id}/export?format=csv`)).text;
    await expect.poll(csv).toContain('Hing am Gelöschten;;;;offen;(entfernt);');
    const text = await csv();
    expect(text).toContain('Pilot auswerten;;;;offen;KI-Pilot abgeschlossen;');
    expect(text).toContain('Ohne Meilenstein;;;;offen;;');
    roadmapClient.destroy();
    listClient.destroy();
  });

  it('exports a roadmap as CSV and refuses formats that do not fit', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Roadmap' })).json.room;
    const roadmapDoc = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Roadmap' })).json
      .document;
    const notes = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Notizen' })).json
      .document;
    const client = connectClient(as(owner), roadmapDoc.id);
    await client.synced();
    const roadmap = roadmapOf(client.doc);
    roadmap.initialise();
    roadmap.addMilestone({
      themeId: 'theme-open-source',
      title: 'Souveräner Arbeitsplatz',
      start: '2027-01-01',
      end: '2027-12-31',
      lead: 'joint',
    });
    await untilCommitted(as(owner), roadmapDoc.id, client.doc);
    const csv = await owner.get(`/api/documents/${roadmapDoc.id}/export`);
    expect(csv.text).toContain(
      'Open Source und digitale Souveränität;Souveräner Arbeitsplatz;01.01.2027;31.12.2027;geplant;gemeinsam;;',
    );
    expect((await owner.get(`/api/documents/${roadmapDoc.id}/export?format=ics`)).status).toBe(400);
    expect((await owner.get(`/api/documents/${notes.id}/export`)).status).toBe(400);
    client.destroy();
  });
});

describe('the last-changed time', () => {
  it('stays when clients merely open a new roadmap and a new action list', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Nur geöffnet' })).json.room;
    const create = async (kind: string, title: string) =>
      (await owner.post(`/api/rooms/${room.id}/documents`, { kind, title })).json.document;
    const roadmapDoc = await create('roadmap', 'Roadmap');
    const listDoc = await create('actions', 'Maßnahmen');
    const updatedAt = async (id: string) => (await owner.get(`/api/documents/${id}`)).json.document.updatedAt;
    /** How many edits the log has taken for a document, ever (compaction does not lower it). */
    const edits = async (id: string) =>
      (await app.database.db.execute<{ n: number }>(sql`select update_seq::int as n from document where id = ${id}`))
        .rows[0]!.n;
    const before = [await updatedAt(roadmapDoc.id), await updatedAt(listDoc.id)];
    const editsBefore = [await edits(roadmapDoc.id), await edits(listDoc.id)];
    const clients = [connectClient(as(owner), roadmapDoc.id), connectClient(as(owner), listDoc.id)];
    await Promise.all(clients.map((client) => client.synced()));
    // Made at creation, on the server: a client finds the themes there and needs to write nothing.
    expect(roadmapOf(clients[0]!.doc).themes()).toHaveLength(5);
    expect([await updatedAt(roadmapDoc.id), await updatedAt(listDoc.id)]).toEqual(before);
    // Anything written on opening (by these clients or the server) is committed before a mark each
    // client writes next: once the marks are in, they must be the only edits.
    await committedAfterMark(as(owner), roadmapDoc.id, clients[0]!.doc);
    await committedAfterMark(as(owner), listDoc.id, clients[1]!.doc);
    expect([await edits(roadmapDoc.id), await edits(listDoc.id)]).toEqual(editsBefore.map((n) => n + 1));
    for (const client of clients) client.destroy();
  });
});

describe('the personal calendar subscription', () => {
  it('serves only its person’s open actions to the secret address, and a renewed address replaces the old', async () => {
    const anna = await app.user('SH', { name: 'Anna Ahrens' });
    const bernd = await app.user('MV', { name: 'Bernd Berg' });
    const { document, client } = await actionListWith(anna, [{ user: bernd, role: 'editor' }]);
    const actions = actionListOf(client.doc);
    actions.addItem({ title: 'Annas Aufgabe', ownerId: anna.id, due: '2027-02-01' });
    actions.addItem({ title: 'Bernds Aufgabe', ownerId: bernd.id, due: '2027-02-02' });
    actions.addItem({ title: 'Annas erledigte', ownerId: anna.id, due: '2027-01-01', status: 'done' });
    expect(await eventually(async () => (await titles(bernd)).includes('Bernds Aufgabe'))).toBe(true);
    expect(await eventually(async () => (await titles(anna)).includes('Annas Aufgabe'))).toBe(true);

    expect((await anna.get('/api/my-actions/calendar')).json).toEqual({ calendar: null });
    const made = await anna.post('/api/my-actions/calendar');
    expect(made.status).toBe(201);
    const url: string = made.json.url;
    expect(url).toMatch(new RegExp(`^${app.origin}/api/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    const path = url.slice(app.origin.length);
    // A calendar program sends no cookie: the secret in the address is enough.
    const calendar = await app.anonymous().get(path);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(calendar.text).toContain('BEGIN:VEVENT');
    expect(calendar.text).toContain('DTSTART;VALUE=DATE:20270201\r\n');
    expect(calendar.text).toContain('Annas Aufgabe');
    expect(calendar.text).not.toContain('Bernds Aufgabe');
    expect(calendar.text).not.toContain('Annas erledigte');
    expect(calendar.text.replaceAll('\r\n ', '')).toContain(`${app.origin}/documents/${document.id}#action-`);
    // Bernd's own address shows Bernd's actions, never Anna's.
    const berndsUrl: string = (await bernd.post('/api/my-actions/calendar')).json.url;
    const berndsCalendar = await app.anonymous().get(berndsUrl.slice(app.origin.length));
    expect(berndsCalendar.text).toContain('Bernds Aufgabe');
    expect(berndsCalendar.text).not.toContain('Annas');

    // Only a hash is stored: the secret is nowhere in the database.
    const secret = path.slice('/api/calendar/'.length, -'.ics'.length);
    const { rows } = await app.database.db.execute(
      sql`select encode(token_hash, 'escape') as hash from calendar_token`,
    );
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await anna.get('/api/my-actions/calendar')).json.calendar.createdAt).toMatch(/^\d{4}-/);

    const renewed: string = (await anna.post('/api/my-actions/calendar')).json.url;
    expect(renewed).not.toBe(url);
    expect((await app.anonymous().get(path)).status).toBe(404);
    expect((await app.anonymous().get(renewed.slice(app.origin.length))).text).toContain('Annas Aufgabe');
    expect((await app.anonymous().get('/api/calendar/not-a-token.ics')).status).toBe(400);

    expect((await anna.delete('/api/my-actions/calendar')).status).toBe(204);
    expect((await app.anonymous().get(renewed.slice(app.origin.length))).status).toBe(404);
    expect((await app.anonymous().post('/api/my-actions/calendar')).status).toBe(401);
    client.destroy();
  });
});

describe("a document's committed state", () => {
  it('is read by everyone who may read the document, as one Yjs update, and by nobody else', async () => {
    const owner = await app.user('SH');
    const viewer = await app.user('MV');
    const { document, client } = await actionListWith(owner, [{ user: viewer, role: 'viewer' }]);
    actionListOf(client.doc).addItem({ title: 'Once-Only-Nachweis prüfen', organization: 'SH', due: '2027-03-01' });
    await untilCommitted(as(owner), document.id, client.doc);

    const response = await fetch(`${app.url}/api/documents/${document.id}/state`, {
      headers: { cookie: viewer.cookie! },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, new Uint8Array(await response.arrayBuffer()));
    expect(
      actionListOf(copy)
        .items()
        .map((item) => [item.title, item.organization, item.due]),
    ).toEqual([['Once-Only-Nachweis prüfen', 'SH', '2027-03-01']]);

    const outsider = await app.user('NI');
    expect((await outsider.get(`/api/documents/${document.id}/state`)).status).toBe(404);
    expect((await app.anonymous().get(`/api/documents/${document.id}/state`)).status).toBe(401);
    // Administrators manage rooms, but read content only through a role of their own.
    expect((await app.admin.get(`/api/documents/${document.id}/state`)).status).toBe(403);
    client.destroy();
  });
});
