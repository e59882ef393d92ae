import { actionListOf, docOf, readNotesTree, writeNotesTree } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProtocol } from '../../packages/domain/src/export/sample-protocol.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { connectClient, eventually } from '../helpers/sync.ts';

let app: TestApp;
let owner: Person;
let editor: Person;
let commenter: Person;
let viewer: Person;
let outsider: Person;
let roomId: string;
let otherRoomId: string;
/** A protocol with every formatting the editor offers, written by a connected client. */
let protocolId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  ({ owner, editor, commenter, viewer, outsider, roomId } = await committeeRoom(app));
  otherRoomId = (await owner.post('/api/rooms', { name: 'AG Register' })).json.room.id;
  protocolId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Muster' })).json.document
    .id;
  const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, protocolId);
  try {
    await client.synced();
    writeNotesTree(client.doc, sampleProtocol());
    const written = JSON.stringify(sampleProtocol());
    const committed = async () => JSON.stringify(readNotesTree(await stateOf(protocolId))) === written;
    if (!(await eventually(committed, 10_000))) throw new Error('the protocol did not reach the server');
  } finally {
    client.destroy();
  }
});
afterAll(() => app.close());

async function stateOf(documentId: string, by: ApiClient = owner) {
  const response = await fetch(`${app.url}/api/documents/${documentId}/state`, { headers: { cookie: by.cookie! } });
  expect(response.status).toBe(200);
  return docOf(new Uint8Array(await response.arrayBuffer()));
}

const save = (by: ApiClient, body: Record<string, unknown>, documentId = protocolId) =>
  by.post(`/api/documents/${documentId}/templates`, body);
const listed = async (by: ApiClient, room?: string) =>
  ((await by.get(`/api/templates${room ? `?room=${room}` : ''}`)).json.templates as { id: string; scope: string }[])
    .filter((template) => template.scope !== 'builtin')
    .map((template) => template.id);
const createFrom = (by: ApiClient, room: string, templateId: string, kind = 'notes') =>
  by.post(`/api/rooms/${room}/documents`, { kind, title: 'Aus Vorlage', templateId });

describe('room templates', () => {
  it('are saved by owners only: other roles are refused, outsiders do not see the document', async () => {
    for (const person of [editor, commenter, viewer])
      expect((await save(person, { name: 'X', scope: 'room' })).status).toBe(403);
    expect((await save(outsider, { name: 'X', scope: 'room' })).status).toBe(404);
    // An administrator without a role in the room may not copy its content.
    expect((await save(app.admin, { name: 'X', scope: 'room' })).status).toBe(403);
    expect((await save(app.admin, { name: 'X', scope: 'global' })).status).toBe(403);
    expect(await listed(owner, roomId)).toEqual([]);
    const saved = await save(owner, { name: 'Protokoll AG Register', scope: 'room' });
    expect(saved.status).toBe(201);
    expect(saved.json.template).toMatchObject({ name: 'Protokoll AG Register', kind: 'notes', scope: 'room' });
  });

  it('are offered in their room only, and a document made from one has the same content', async () => {
    const { id } = (await save(owner, { name: 'Zum Nachnutzen', scope: 'room' })).json.template;
    for (const person of [owner, editor, commenter, viewer]) expect(await listed(person, roomId)).toContain(id);
    expect(await listed(owner)).not.toContain(id);
    expect(await listed(owner, otherRoomId)).not.toContain(id);
    expect((await outsider.get(`/api/templates?room=${roomId}`)).status).toBe(404);

    const created = await createFrom(editor, roomId, id);
    expect(created.status).toBe(201);
    expect(readNotesTree(await stateOf(created.json.document.id))).toEqual(sampleProtocol());
    // Another room does not know it, and it fits only its own kind.
    expect((await createFrom(owner, otherRoomId, id)).status).toBe(400);
    expect((await createFrom(owner, roomId, id, 'actions')).status).toBe(400);
  });

  it('are deleted by owners only, and then no longer offered', async () => {
    const { id } = (await save(owner, { name: 'Kurzlebig', scope: 'room' })).json.template;
    expect((await editor.delete(`/api/templates/${id}`)).status).toBe(403);
    expect((await outsider.delete(`/api/templates/${id}`)).status).toBe(404);
    expect((await app.admin.delete(`/api/templates/${id}`)).status).toBe(403);
    expect((await owner.delete(`/api/templates/${id}`)).status).toBe(204);
    expect(await listed(owner, roomId)).not.toContain(id);
    expect((await owner.delete(`/api/templates/${id}`)).status).toBe(404);
    expect((await createFrom(owner, roomId, id)).status).toBe(400);
  });
});

describe('templates for everyone', () => {
  it('are saved by administrators with a role in the room, offered everywhere, and give the same content', async () => {
    const list = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Standardmaßnahmen' }))
      .json.document;
    const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, list.id);
    try {
      await client.synced();
      // Who does it and how far it got belong to this room's work, not to the template.
      actionListOf(client.doc).addItem({
        title: 'Datenschutz-Folgenabschätzung',
        organization: 'SH',
        due: '2027-01-31',
        ownerId: owner.id,
        status: 'done',
      });
      await expect.poll(async () => actionListOf(await stateOf(list.id)).items().length, { timeout: 10_000 }).toBe(1);
    } finally {
      client.destroy();
    }
    expect((await save(owner, { name: 'Für alle', scope: 'global' }, list.id)).status).toBe(403);
    await owner.put(`/api/rooms/${roomId}/members/${app.admin.id}`, { role: 'viewer' });
    const saved = await save(app.admin, { name: 'Maßnahmen für alle', scope: 'global' }, list.id);
    expect(saved.status).toBe(201);
    const { id } = saved.json.template;
    expect(await listed(outsider)).toContain(id);
    expect(await listed(owner, otherRoomId)).toContain(id);

    const copy = (await createFrom(owner, otherRoomId, id, 'actions')).json.document;
    const items = (doc: Awaited<ReturnType<typeof stateOf>>) =>
      actionListOf(doc)
        .items()
        .map(({ title, organization, due, ownerId, status, doneAt }) => ({
          title,
          organization,
          due,
          ownerId,
          status,
          done: doneAt !== null,
        }));
    const fresh = { title: 'Datenschutz-Folgenabschätzung', organization: 'SH', due: '2027-01-31' };
    expect(items(await stateOf(list.id))).toEqual([{ ...fresh, ownerId: owner.id, status: 'done', done: true }]);
    expect(items(await stateOf(copy.id))).toEqual([{ ...fresh, ownerId: null, status: 'open', done: false }]);

    expect((await owner.delete(`/api/templates/${id}`)).status).toBe(403);
    expect((await app.admin.delete(`/api/templates/${id}`)).status).toBe(204);
    expect(await listed(outsider)).not.toContain(id);
  });
});

describe('saving a template', () => {
  it('refuses a blank or too long name and keeps nothing', async () => {
    const before = await listed(owner, roomId);
    for (const name of ['', '   ', 'x'.repeat(201)]) {
      const refused = await save(owner, { name, scope: 'room' });
      expect(refused.status).toBe(400);
      expect(refused.json.error.fields.name).toBeTruthy();
    }
    expect((await save(owner, { name: 'X', scope: 'everyone' })).status).toBe(400);
    expect(await listed(owner, roomId)).toEqual(before);
  });

  it('is audited, as is deleting', async () => {
    const { id } = (await save(owner, { name: 'Im Protokoll', scope: 'room' })).json.template;
    await owner.delete(`/api/templates/${id}`);
    const entries = async (action: string) =>
      ((await app.admin.get(`/api/admin/audit?action=${action}`)).json.entries as { targetId: string }[]).filter(
        (entry) => entry.targetId === id,
      );
    expect(await entries('template.create')).toEqual([
      expect.objectContaining({ actorEmail: owner.email, roomId, details: expect.objectContaining({ scope: 'room' }) }),
    ]);
    expect(await entries('template.delete')).toHaveLength(1);
  });
});
