import { actionListOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFollowUps } from '../../apps/server/src/follow-ups.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { connectClient } from '../helpers/sync.ts';

// Lists whose update log refuses every write, as a database that fails mid-request would.
const failing = new Set<string>();
let app: TestApp;
let owner: Person;
let editor: Person;
let commenter: Person;
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({
    sync: {
      store: (store) => ({
        ...store,
        async append(documentId, update, userId) {
          if (failing.has(documentId)) throw new Error('the update log is not reachable');
          return store.append(documentId, update, userId);
        },
      }),
    },
  });
  ({ owner, editor, commenter, roomId } = await committeeRoom(app));
});
afterAll(() => app.close());

const titles = (doc: import('yjs').Doc) =>
  actionListOf(doc)
    .items()
    .map((item) => item.title);

describe('follow-up actions whose list cannot be written', () => {
  it('leave the decision without links until the next start writes them, once', async () => {
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen Ausfall' }))
      .json.document;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: commenter.cookie }, list.id);
    await client.synced();
    failing.add(list.id);
    try {
      const recorded = await editor.post(`/api/rooms/${roomId}/decisions`, {
        title: 'Betriebskonzept abstimmen',
        date: '2026-03-12',
        status: 'beschlossen',
        actions: [
          { listId: list.id, title: 'Entwurf Betriebskonzept', ownerId: commenter.id, due: '2026-05-31' },
          { listId: list.id, title: 'Abstimmung mit Dataport' },
        ],
      });
      // Recorded, but it links nothing that is not in the list: the two actions are pending.
      expect(recorded.status).toBe(201);
      const decision = recorded.json.decision;
      expect(decision).toMatchObject({ actionIds: [], actions: [], pendingActions: 2 });
      const listed = (await commenter.get(`/api/rooms/${roomId}/decisions`)).json.decisions;
      expect(listed.find((entry: { id: string }) => entry.id === decision.id)).toMatchObject({
        actionIds: [],
        pendingActions: 2,
      });
      expect(await app.sync!.readDocument(list.id, titles)).toEqual([]);
      expect(titles(client.doc)).toEqual([]);

      // The next start (here a second instance on the same database) writes them; every client sees them.
      failing.delete(list.id);
      const restarted = await startTestApp({ database: app.database, sync: {} });
      try {
        await expect
          .poll(async () => (await commenter.get(`/api/rooms/${roomId}/decisions`)).json.decisions[0], {
            timeout: 15_000,
          })
          .toMatchObject({ id: decision.id, pendingActions: 0 });
        const done = (await commenter.get(`/api/rooms/${roomId}/decisions`)).json.decisions[0];
        expect(done.actionIds).toHaveLength(2);
        await expect
          .poll(() => titles(client.doc), { timeout: 15_000 })
          .toEqual(['Entwurf Betriebskonzept', 'Abstimmung mit Dataport']);
        expect(actionListOf(client.doc).item(done.actionIds[0])).toMatchObject({
          ownerId: commenter.id,
          due: '2026-05-31',
        });
      } finally {
        await restarted.close();
      }
    } finally {
      failing.delete(list.id);
      client.destroy();
    }
  });

  it('are written once, however often the write is repeated', async () => {
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen doppelt' }))
      .json.document;
    failing.add(list.id);
    const decision = (
      await owner.post(`/api/rooms/${roomId}/decisions`, {
        title: 'Doppelt geschrieben',
        date: '2026-03-12',
        status: 'beschlossen',
        actions: [{ listId: list.id, title: 'Nur einmal' }],
      })
    ).json.decision;
    failing.delete(list.id);
    const [row] = await app.database.pool
      .query('select pending_follow_ups as pending, created_by from decision where id = $1', [decision.id])
      .then((result) => result.rows);
    const log = (await import('pino')).pino({ level: 'silent' });
    const pending = { id: decision.id, createdBy: row.created_by, pending: row.pending };
    expect(await writeFollowUps(app.database.db, app.sync!, pending, log)).toBe(0);
    // A second writer (another instance, a repeated start) with the same pending edit.
    expect(await writeFollowUps(app.database.db, app.sync!, pending, log)).toBe(0);
    expect(await app.sync!.readDocument(list.id, titles)).toEqual(['Nur einmal']);
    const after = (await owner.get(`/api/rooms/${roomId}/decisions`)).json.decisions.find(
      (entry: { id: string }) => entry.id === decision.id,
    );
    expect(after).toMatchObject({ pendingActions: 0, actionIds: [expect.any(String)] });
  });

  it('are refused before anything is recorded when the list was archived', async () => {
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Archiviert' })).json
      .document;
    await owner.patch(`/api/documents/${list.id}`, { archived: true });
    const before = (await owner.get(`/api/rooms/${roomId}/decisions`)).json.decisions.length;
    const refused = await owner.post(`/api/rooms/${roomId}/decisions`, {
      title: 'In eine archivierte Liste',
      date: '2026-03-12',
      status: 'beschlossen',
      actions: [{ listId: list.id, title: 'Geht nicht' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields).toEqual({ 'actions.0.listId': 'not an action list of this room' });
    expect((await owner.get(`/api/rooms/${roomId}/decisions`)).json.decisions.length).toBe(before);
  });
});
