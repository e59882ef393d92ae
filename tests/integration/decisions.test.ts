import { actionListOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { connectClient, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
let owner: Person;
let editor: Person;
let commenter: Person;
let viewer: Person;
let outsider: Person;
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  ({ owner, editor, commenter, viewer, outsider, roomId } = await committeeRoom(app));
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

const decide = (by: ApiClient, body: Record<string, unknown>, room = roomId) =>
  by.post(`/api/rooms/${room}/decisions`, { text: '', status: 'beschlossen', date: '2026-03-12', ...body });

describe('decision numbers', () => {
  it('are unique and gap-free when twenty decisions are recorded at the same moment', async () => {
    const room = (await owner.post('/api/rooms', { name: 'Lenkungskreis Zähler' })).json.room.id;
    await owner.put(`/api/rooms/${room}/members/${editor.id}`, { role: 'editor' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        decide(index % 2 ? owner : editor, { title: `Beschluss ${index}`, date: '2026-05-04' }, room),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const numbers = answers.map((answer) => answer.json.decision.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, index) => `LK-2026-${String(index + 1).padStart(3, '0')}`));

    // A new year starts at 1 again; a refused decision takes no number.
    expect((await decide(owner, { title: 'Neues Jahr', date: '2027-01-08' }, room)).json.decision.number).toBe(
      'LK-2027-001',
    );
    expect(
      (await decide(owner, { title: 'Falsch', date: '2027-01-09', supersedes: crypto.randomUUID() }, room)).status,
    ).toBe(400);
    expect((await decide(owner, { title: 'Weiter', date: '2027-02-01' }, room)).json.decision.number).toBe(
      'LK-2027-002',
    );
  });
});

describe('superseding', () => {
  it('marks the old decision aufgehoben, links both ways, and allows it only once', async () => {
    const first = (await decide(owner, { title: 'Pilot souveräner Arbeitsplatz', text: 'Je eine Behörde pro Land.' }))
      .json.decision;
    const correction = await decide(editor, {
      title: 'Pilot souveräner Arbeitsplatz (berichtigt)',
      text: 'Je zwei Behörden pro Land.',
      supersedes: first.id,
    });
    expect(correction.status).toBe(201);
    expect(correction.json.decision).toMatchObject({ status: 'beschlossen', supersedes: first.id });
    const { decisions } = (await viewer.get(`/api/rooms/${roomId}/decisions`)).json;
    const old = decisions.find((entry: { id: string }) => entry.id === first.id);
    expect(old).toMatchObject({ status: 'aufgehoben', supersededBy: correction.json.decision.id, title: first.title });

    const again = await decide(owner, { title: 'Noch einmal', supersedes: first.id });
    expect(again.status).toBe(400);
    expect(again.json.error.fields.supersedes).toBe('already superseded');
    // A new decision cannot be recorded as aufgehoben: only superseding sets that.
    expect((await decide(owner, { title: 'Direkt aufgehoben', status: 'aufgehoben' })).status).toBe(400);

    const audit = (await app.admin.get(`/api/admin/audit?roomId=${roomId}&action=decision.supersede`)).json.entries;
    expect(audit[0]).toMatchObject({ action: 'decision.supersede', targetId: first.id });
  });

  it('are found by search at once, by number and text, opening in the register, for readers only', async () => {
    const recorded = (
      await decide(owner, { title: 'Gemeinsames Rechenzentrum', text: 'Die Länder prüfen eine Georedundanz bis 2027.' })
    ).json.decision;
    const results = (await viewer.get('/api/search?q=Georedundanz')).json.results;
    expect(results).toEqual([
      expect.objectContaining({
        kind: 'decision',
        roomId,
        documentId: null,
        title: `${recorded.number} · Gemeinsames Rechenzentrum`,
        anchor: { type: 'decision', decisionId: recorded.id },
      }),
    ]);
    expect((await viewer.get(`/api/search?q=${recorded.number}&kind=decision`)).json.results).toHaveLength(1);
    expect((await outsider.get('/api/search?q=Georedundanz')).json.results).toEqual([]);
  });
});

describe('follow-up actions', () => {
  it('appear live in the action list of a connected client and in the owner’s "my actions"', async () => {
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen LK' })).json
      .document;
    const client = connectClient(as(viewer), list.id);
    await client.synced();
    try {
      const recorded = await decide(editor, {
        title: 'Katalog nachnutzbarer Komponenten',
        actions: [
          { listId: list.id, title: 'Katalog entwerfen', ownerId: commenter.id, organization: 'MV', due: '2026-06-30' },
          { listId: list.id, title: 'Katalog abstimmen' },
        ],
      });
      expect(recorded.status).toBe(201);
      const { actionIds } = recorded.json.decision;
      expect(actionIds).toHaveLength(2);
      await expect
        .poll(
          () =>
            actionListOf(client.doc)
              .items()
              .map((item) => item.title),
          { timeout: 10_000 },
        )
        .toEqual(['Katalog entwerfen', 'Katalog abstimmen']);
      expect(actionListOf(client.doc).item(actionIds[0])).toMatchObject({
        ownerId: commenter.id,
        organization: 'MV',
        due: '2026-06-30',
        status: 'open',
      });
      await expect
        .poll(
          async () =>
            ((await commenter.get('/api/my-actions')).json.actions as { itemId: string; title: string }[]).map(
              (action) => [action.itemId, action.title],
            ),
          { timeout: 15_000 },
        )
        .toEqual([[actionIds[0], 'Katalog entwerfen']]);
    } finally {
      client.destroy();
    }
  });

  it('are refused, with the field named, for a list of another room or an owner who cannot read the room', async () => {
    const elsewhere = (await outsider.post('/api/rooms', { name: 'Anderer Raum' })).json.room.id;
    const foreign = (await outsider.post(`/api/rooms/${elsewhere}/documents`, { kind: 'actions', title: 'Fremd' })).json
      .document;
    const notes = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Notizen' })).json
      .document;
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Eigene' })).json
      .document;
    const before = (await owner.get(`/api/rooms/${roomId}/decisions`)).json.decisions.length;
    const refused = await decide(owner, {
      title: 'Mit falschen Maßnahmen',
      actions: [
        { listId: foreign.id, title: 'A' },
        { listId: notes.id, title: 'B' },
        { listId: list.id, title: 'C', ownerId: outsider.id },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields).toMatchObject({
      'actions.0.listId': 'not an action list of this room',
      'actions.1.listId': 'not an action list of this room',
      'actions.2.ownerId': 'not someone who may read this room',
    });
    expect((await owner.get(`/api/rooms/${roomId}/decisions`)).json.decisions.length).toBe(before);
  });
});

describe('who may do what', () => {
  it('lets owners and editors record; commenters and viewers read; others see no room', async () => {
    expect((await decide(owner, { title: 'Von der Eigentümerin' })).status).toBe(201);
    expect((await decide(editor, { title: 'Vom Bearbeiter' })).status).toBe(201);
    for (const reader of [commenter, viewer]) {
      expect((await decide(reader, { title: 'Nicht erlaubt' })).status).toBe(403);
      expect((await reader.get(`/api/rooms/${roomId}/decisions`)).status).toBe(200);
      expect((await reader.get(`/api/rooms/${roomId}/decisions/export`)).status).toBe(200);
    }
    expect((await outsider.get(`/api/rooms/${roomId}/decisions`)).status).toBe(404);
    expect((await decide(outsider, { title: 'Fremd' })).status).toBe(404);
    expect((await app.anonymous().get(`/api/rooms/${roomId}/decisions`)).status).toBe(401);
    const entries = (await app.admin.get(`/api/admin/audit?roomId=${roomId}&action=decision.create`)).json.entries;
    expect(entries.some((entry: { actorId: string }) => entry.actorId === editor.id)).toBe(true);
  });
});

describe('the register', () => {
  it('filters by year, status and text and exports the same as CSV', async () => {
    const room = (await owner.post('/api/rooms', { name: 'Lenkungskreis Filter' })).json.room.id;
    await decide(
      owner,
      { title: 'Open-Source-Strategie', text: 'Gemeinsame Kriterien; Ausschreibung', date: '2025-11-03' },
      room,
    );
    await decide(owner, { title: 'Datenfabrik', status: 'zurückgestellt', date: '2026-02-10' }, room);
    await decide(owner, { title: '=HYPERLINK("x")', status: 'abgelehnt', date: '2026-02-11' }, room);
    const numbers = async (query: string) =>
      ((await viewer.get(`/api/rooms/${room}/decisions${query}`)).json?.decisions ?? []).map(
        (entry: { number: string }) => entry.number,
      );
    await owner.put(`/api/rooms/${room}/members/${viewer.id}`, { role: 'viewer' });
    expect(await numbers('')).toEqual(['LK-2026-002', 'LK-2026-001', 'LK-2025-001']);
    expect(await numbers('?year=2026')).toEqual(['LK-2026-002', 'LK-2026-001']);
    expect(await numbers('?status=zur%C3%BCckgestellt')).toEqual(['LK-2026-001']);
    expect(await numbers('?q=kriterien')).toEqual(['LK-2025-001']);
    expect(await numbers('?q=LK-2026-002')).toEqual(['LK-2026-002']);
    expect(await numbers('?q=100%25')).toEqual([]);
    expect((await viewer.get(`/api/rooms/${room}/decisions?status=erledigt`)).status).toBe(400);
    expect((await viewer.get(`/api/rooms/${room}/decisions`)).json.years).toEqual([2026, 2025]);

    const csv = await viewer.get(`/api/rooms/${room}/decisions/export?year=2026`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('Nummer;Datum;Titel;Beschluss;Status;Sitzung;Ersetzt;Ersetzt durch');
    expect(lines.slice(1)).toEqual([
      `LK-2026-002;11.02.2026;"'=HYPERLINK(""x"")";;abgelehnt;;;`,
      'LK-2026-001;10.02.2026;Datenfabrik;;zurückgestellt;;;',
    ]);
  });

  it('refuses bad input next to the field and keeps nothing', async () => {
    const refused = await decide(owner, { title: ' ', date: '2026-02-30', versionIds: [crypto.randomUUID()] });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.json.error.fields).sort()).toEqual(['date', 'title']);
    const linked = await decide(owner, { title: 'Version fremd', versionIds: [crypto.randomUUID()] });
    expect(linked.json.error.fields).toEqual({ 'versionIds.0': 'not a version of a document in this room' });
    expect((await decide(owner, { title: 'x'.repeat(301) })).json.error.fields.title).toMatch(/300/);
  });
});
