import { actionListOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { openThread, roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { openEvents } from '../helpers/events.ts';
import { connectClient } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
});
afterAll(() => app.close());

type Inbox = { kind: string; link: string; readAt: string | null; actor: { id: string } | null; excerpt: string }[];
type Reader = { get(path: string): Promise<{ json: any }>; post(path: string, body?: unknown): Promise<unknown> };
/** A person's inbox, leaving out "added to a room" of the set-up (tested on its own). */
const inbox = async (client: Reader) => {
  const { notifications, unread } = (await client.get('/api/notifications')).json as {
    notifications: Inbox;
    unread: number;
  };
  return { notifications: notifications.filter((n) => n.kind !== 'room_added'), unread };
};
/** A room with every role, whose members have read their "added to the room" already. */
async function room(kind?: 'notes' | 'actions') {
  const world = await roomWithEveryRole(app, kind);
  for (const client of Object.values(world.clients)) await client.post('/api/notifications/read', {});
  return world;
}

const berlinDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });

describe('notifications from comments', () => {
  it('notifies the person mentioned, with a link to the thread, and never the writer', async () => {
    const { document, clients } = await room();
    const body = `Bitte @[Viewer](${clients.viewer.id}) und @[Ich](${clients.commenter.id}) ansehen`;
    const thread = await openThread(clients.commenter, document.id, body);
    const { notifications, unread } = await inbox(clients.viewer);
    expect(unread).toBe(1);
    expect(notifications[0]).toMatchObject({
      kind: 'mention',
      link: `/documents/${document.id}?thread=${thread.id}`,
      actor: { id: clients.commenter.id },
      excerpt: 'Bitte @Viewer und @Ich ansehen',
      documentTitle: 'Protokoll Workshop',
    });
    expect((await inbox(clients.commenter)).notifications).toEqual([]);
  });

  it('notifies everyone else who wrote in a thread of a reply', async () => {
    const { document, clients } = await room();
    const thread = await openThread(clients.commenter, document.id, 'Frage');
    await clients.editor.post(`/api/threads/${thread.id}/comments`, { body: 'Erste Antwort' });
    await clients.owner.post(`/api/threads/${thread.id}/comments`, { body: 'Zweite Antwort' });
    const kinds = async (c: typeof clients.owner) => (await inbox(c)).notifications.map((n) => n.kind);
    expect(await kinds(clients.commenter)).toEqual(['reply', 'reply']);
    expect(await kinds(clients.editor)).toEqual(['reply']);
    expect(await kinds(clients.owner)).toEqual([]);
    expect(await kinds(clients.viewer)).toEqual([]);
  });

  it('notifies a person added to a room, not the one who added them', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Neu' })).json.room;
    const added = await app.user('MV');
    await owner.put(`/api/rooms/${room.id}/members/${added.id}`, { role: 'viewer' });
    await owner.put(`/api/rooms/${room.id}/members/${added.id}`, { role: 'editor' });
    const { notifications } = (await added.get('/api/notifications')).json;
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: 'room_added', link: `/rooms/${room.id}`, roomName: 'AG Neu' });
    expect((await owner.get('/api/notifications')).json.notifications).toEqual([]);
  });

  it('marks some or all read, and the live unread count follows within a second', async () => {
    const { document, clients } = await room();
    const stream = await openEvents(clients.viewer, '/api/notifications/events');
    expect((await stream.next('unread')).data).toEqual({ unread: 0 });
    for (const text of ['eins', 'zwei', 'drei']) {
      await openThread(clients.editor, document.id, `${text} @[V](${clients.viewer.id})`);
    }
    // Counted from the last answer: three requests on a loaded machine are not the count's way to the page.
    const sentAt = Date.now();
    const three = await stream.next('unread', (d) => d.unread === 3);
    expect(three.at - sentAt).toBeLessThan(1_000);
    const [first] = (await inbox(clients.viewer)).notifications;
    expect((await clients.viewer.post('/api/notifications/read', { ids: [(first as any).id] })).status).toBe(204);
    await stream.next('unread', (d) => d.unread === 2);
    expect((await clients.viewer.post('/api/notifications/read', {})).status).toBe(204);
    await stream.next('unread', (d) => d.unread === 0);
    expect((await inbox(clients.viewer)).notifications.every((n) => n.readAt !== null)).toBe(true);
    // Another person's ids are not theirs to mark.
    await openThread(clients.editor, document.id, `vier @[V](${clients.viewer.id})`);
    const [fourth] = (await inbox(clients.viewer)).notifications;
    await clients.owner.post('/api/notifications/read', { ids: [(fourth as any).id] });
    expect((await inbox(clients.viewer)).unread).toBe(1);
    stream.close();
  });
});

describe('notifications from action lists', () => {
  it('notifies an assigned person once, not for their own assignment nor an outsider', async () => {
    const { document, clients } = await room('actions');
    const editorClient = connectClient(
      { url: app.url, origin: app.origin, cookie: clients.editor.cookie },
      document.id,
    );
    await editorClient.synced();
    const list = actionListOf(editorClient.doc);
    const itemId = list.addItem({ title: 'Registerabgleich', ownerId: clients.viewer.id, due: '2030-01-01' });
    list.addItem({ title: 'Selbst übernommen', ownerId: clients.editor.id });
    list.addItem({ title: 'Für Außenstehende', ownerId: clients.outsider.id });
    await expect.poll(async () => (await inbox(clients.viewer)).notifications.length, { timeout: 15_000 }).toBe(1);
    expect((await inbox(clients.viewer)).notifications[0]).toMatchObject({
      kind: 'action_assigned',
      link: `/documents/${document.id}?action=${itemId}`,
      excerpt: 'Registerabgleich',
      actor: { id: clients.editor.id },
    });
    // Another edit of the same action re-indexes it without a second notification.
    list.updateItem(itemId, { title: 'Registerabgleich vorbereiten' });
    await expect
      .poll(async () =>
        (await clients.viewer.get('/api/my-actions')).json.actions.map((a: { title: string }) => a.title),
      )
      .toEqual(['Registerabgleich vorbereiten']);
    await app.jobs.remind();
    expect((await inbox(clients.viewer)).notifications.map((n) => n.kind)).toEqual(['action_assigned']);
    expect((await inbox(clients.editor)).notifications).toEqual([]);
    expect((await inbox(clients.outsider)).notifications).toEqual([]);
    editorClient.destroy();
  });

  it('reminds of actions due in two days or overdue, once per action and day', async () => {
    const { document, clients } = await room('actions');
    const ownerClient = connectClient({ url: app.url, origin: app.origin, cookie: clients.owner.cookie }, document.id);
    await ownerClient.synced();
    const list = actionListOf(ownerClient.doc);
    list.addItem({ title: 'Überfällig', ownerId: clients.commenter.id, due: berlinDate(-3) });
    list.addItem({ title: 'Übermorgen', ownerId: clients.commenter.id, due: berlinDate(2) });
    list.addItem({ title: 'Später', ownerId: clients.commenter.id, due: berlinDate(5) });
    list.addItem({ title: 'Erledigt', ownerId: clients.commenter.id, due: berlinDate(-1), status: 'done' });
    const due = async () =>
      (await inbox(clients.commenter)).notifications.filter((n) => n.kind === 'action_due').map((n) => n.excerpt);
    await expect.poll(async () => (await inbox(clients.commenter)).notifications.length, { timeout: 15_000 }).toBe(4);
    await app.jobs.remind();
    expect((await due()).sort()).toEqual(['Überfällig', 'Übermorgen']);
    await app.jobs.remind();
    expect(await due()).toHaveLength(2);
    ownerClient.destroy();
  });
});
