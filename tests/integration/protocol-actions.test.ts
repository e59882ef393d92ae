import { actionListOf, builtInTemplates, type NotesBlock, readNotesTree, writeNotesTree } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { connectClient, eventually, type SyncClient } from '../helpers/sync.ts';

let app: TestApp;
let owner: Person;
let editor: Person;
let commenter: Person;
let outsider: Person;
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  ({ owner, editor, commenter, outsider, roomId } = await committeeRoom(app));
});
afterAll(() => app.close());

const as = (person: ApiClient) => ({ url: app.url, origin: app.origin, cookie: person.cookie });
const cell = (text: string) => ({
  header: false,
  blocks: text ? [{ type: 'paragraph', runs: [{ text }] } as NotesBlock] : [],
});

/** The workshop template with its actions table filled in. */
function filledWorkshop(rows: string[][]): NotesBlock[] {
  const doc = new Y.Doc();
  builtInTemplates.find((template) => template.id === 'builtin:workshop-protocol:de')!.fill(doc);
  const blocks = readNotesTree(doc);
  const table = blocks.filter((block) => block.type === 'table')[1] as Extract<NotesBlock, { type: 'table' }>;
  table.rows = [table.rows[0]!, ...rows.map((values) => values.map(cell))];
  return blocks;
}

const rows = [
  ['Schnittstelle beschreiben', 'Mona Lenk', 'MV', '30.06.2027'],
  ['Katalog abstimmen', 'Niemand Bekanntes', 'SH', 'bald'],
];

/** A new protocol in the room with `blocks`, written by the owner's client and committed. */
async function protocolWith(blocks: NotesBlock[]): Promise<string> {
  const id = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Workshop' })).json.document
    .id;
  const client = connectClient(as(owner), id);
  try {
    await client.synced();
    writeNotesTree(client.doc, blocks);
    const committed = async () => (await owner.get(`/api/documents/${id}/protocol-actions`)).json.actions?.length > 0;
    if (!(await eventually(committed, 10_000))) throw new Error('the protocol did not reach the server');
  } finally {
    client.destroy();
  }
  return id;
}

async function newList(title = 'Maßnahmen'): Promise<{ id: string; client: SyncClient }> {
  const id = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title })).json.document.id;
  const client = connectClient(as(commenter), id);
  await client.synced();
  return { id, client };
}

const titles = (client: SyncClient) =>
  actionListOf(client.doc)
    .items()
    .map((item) => item.title);

describe("a protocol's actions", () => {
  it('are previewed with the owner matched by name, the date read, and what could not be taken named', async () => {
    const protocolId = await protocolWith(filledWorkshop(rows));
    const preview = await commenter.get(`/api/documents/${protocolId}/protocol-actions`);
    expect(preview.status).toBe(200);
    expect(preview.json.actions).toEqual([
      {
        title: 'Schnittstelle beschreiben',
        ownerId: commenter.id,
        organization: 'MV',
        due: '2027-06-30',
        unknownOwner: null,
        badDate: null,
      },
      {
        title: 'Katalog abstimmen',
        ownerId: null,
        organization: 'SH',
        due: null,
        unknownOwner: 'Niemand Bekanntes',
        badDate: 'bald',
      },
    ]);
    expect((await outsider.get(`/api/documents/${protocolId}/protocol-actions`)).status).toBe(404);
  });

  it('go into a chosen action list live, once: a second time adds nothing', async () => {
    const protocolId = await protocolWith(filledWorkshop(rows));
    const list = await newList();
    try {
      expect((await commenter.post(`/api/documents/${protocolId}/protocol-actions`, { listId: list.id })).status).toBe(
        403,
      );
      const moved = await editor.post(`/api/documents/${protocolId}/protocol-actions`, { listId: list.id });
      expect(moved.status).toBe(200);
      expect(moved.json).toMatchObject({ listId: list.id, skipped: 0 });
      expect(moved.json.itemIds).toHaveLength(2);
      await expect
        .poll(() => titles(list.client), { timeout: 10_000 })
        .toEqual(['Schnittstelle beschreiben', 'Katalog abstimmen']);
      expect(actionListOf(list.client.doc).item(moved.json.itemIds[0])).toMatchObject({
        ownerId: commenter.id,
        organization: 'MV',
        due: '2027-06-30',
        status: 'open',
      });
      const again = await editor.post(`/api/documents/${protocolId}/protocol-actions`, { listId: list.id });
      expect(again.json).toMatchObject({ itemIds: [], skipped: 2 });
      expect(titles(list.client)).toHaveLength(2);
    } finally {
      list.client.destroy();
    }
  });

  it('go only into an action list of the same room, and only from a protocol', async () => {
    const protocolId = await protocolWith(filledWorkshop(rows));
    const otherRoom = (await owner.post('/api/rooms', { name: 'Anderer Raum' })).json.room.id;
    const foreignList = (await owner.post(`/api/rooms/${otherRoom}/documents`, { kind: 'actions', title: 'Fremd' }))
      .json.document.id;
    const refused = await owner.post(`/api/documents/${protocolId}/protocol-actions`, { listId: foreignList });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields.listId).toBeTruthy();
    expect((await owner.post(`/api/documents/${protocolId}/protocol-actions`, { listId: protocolId })).status).toBe(
      400,
    );
    const list = await newList('Noch eine');
    list.client.destroy();
    expect((await owner.post(`/api/documents/${list.id}/protocol-actions`, { listId: list.id })).status).toBe(400);
  });

  it('come along when a protocol is made from a template that has some', async () => {
    const source = await protocolWith(filledWorkshop(rows));
    const template = (await owner.post(`/api/documents/${source}/templates`, { name: 'Jour fixe', scope: 'room' })).json
      .template;
    const list = await newList('Jour-fixe-Maßnahmen');
    try {
      const before = (await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length;
      const wrongList = await editor.post(`/api/rooms/${roomId}/documents`, {
        kind: 'notes',
        title: 'Jour fixe 2',
        templateId: template.id,
        actionListId: source,
      });
      expect(wrongList.status).toBe(400);
      expect((await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length).toBe(before);

      const created = await editor.post(`/api/rooms/${roomId}/documents`, {
        kind: 'notes',
        title: 'Jour fixe 2',
        templateId: template.id,
        actionListId: list.id,
      });
      expect(created.status).toBe(201);
      await expect
        .poll(() => titles(list.client), { timeout: 10_000 })
        .toEqual(['Schnittstelle beschreiben', 'Katalog abstimmen']);
    } finally {
      list.client.destroy();
    }
  });
});
