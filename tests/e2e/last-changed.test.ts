// "Zuletzt geändert" is a promise to people scanning for what is new: it moves when a person
// changes content, never because someone merely opened a document, and an open page follows it.
import { actionListOf, roadmapOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually } from '../helpers/sync.ts';
import { openDocumentAs, startWeb, type WebFixture } from './web-support.ts';

const anna = { email: 'anna.ahrens@sh.example', name: 'Anna Ahrens', org: 'SH', password: 'Zuletzt-Passwort 2026' };

let web: WebFixture;
let roomId: string;

const updatedAt = async (id: string): Promise<string> =>
  (await web.api.get(`/api/documents/${id}`)).json.document.updatedAt;
/** A figure of the server's /metrics. */
const metric = async (name: string): Promise<number> =>
  Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(web.url('/metrics'))).text())?.[1]);
const create = async (kind: string, title: string): Promise<string> =>
  (await web.api.post(`/api/rooms/${roomId}/documents`, { kind, title })).json.document.id;

beforeAll(async () => {
  web = await startWeb();
  const annaId = await web.createUser(anna);
  roomId = (await web.api.post('/api/rooms', { name: 'AG Zuletzt geändert' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${annaId}`, { role: 'editor' });
}, 120_000);

afterAll(() => web?.close());

describe('the last-changed time', () => {
  it('stays when an editor opens a new roadmap and a new action list linked to it', async () => {
    const roadmapId = await create('roadmap', 'Roadmap neu');
    const listId = await create('actions', 'Maßnahmen neu');
    // The roadmap has its themes from the start: nobody has to write them on opening.
    const state = await fetch(web.url(`/api/documents/${roadmapId}/state`), { headers: { cookie: web.api.cookie! } });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await state.arrayBuffer()));
    expect(roadmapOf(doc).themes()).toHaveLength(5);
    const before = { roadmap: await updatedAt(roadmapId), list: await updatedAt(listId) };
    const received = await metric('nordraum_sync_updates_received_total');

    const listPage = await openDocumentAs(web, anna, listId);
    const roadmapPage = await openDocumentAs(web, anna, roadmapId);
    // Each page follows the other document once idle (the list for links, the roadmap for its open
    // actions): four sockets once both have. A write would come with those syncs; give it a moment.
    expect(await eventually(async () => (await metric('nordraum_sync_connections')) >= 4, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await metric('nordraum_sync_updates_received_total')).toBe(received);
    expect({ roadmap: await updatedAt(roadmapId), list: await updatedAt(listId) }).toEqual(before);
    await listPage.context().close();
    await roadmapPage.context().close();
  });

  it('moves on an open page while someone edits', async () => {
    const listId = await create('actions', 'Maßnahmen live');
    const page = await openDocumentAs(web, anna, listId);
    const shown = () => page.locator('time[data-updated]').getAttribute('datetime');
    const first = await shown();
    const client = connectClient({ url: web.server.url, origin: web.server.url, cookie: web.api.cookie }, listId);
    await client.synced();
    actionListOf(client.doc).addItem({ title: 'Neu von Bernd' });
    await expect.poll(() => page.locator('tr[data-item-id]').count()).toBe(1);
    await expect.poll(async () => (await updatedAt(listId)) > first!).toBe(true);
    // Without a reload, the header shows the server's new time.
    await expect.poll(shown).toBe(await updatedAt(listId));
    client.destroy();
    await page.context().close();
  });
});
