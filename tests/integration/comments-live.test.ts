import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { openThread, roomWithEveryRole } from '../helpers/comments.ts';
import { openEvents } from '../helpers/events.ts';

// Two instances on one PostgreSQL, as behind a load balancer.
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  first = await startTestApp();
  second = await startTestApp({ database: first.database });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

/** The same browser session, talking to the other instance. */
function on(app: TestApp, client: ApiClient) {
  const other = new ApiClient(app.url);
  other.cookie = client.cookie;
  return other;
}

describe('live comment events', () => {
  it('shows a new thread, a reply, an edit, a resolution and a deletion within a second', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(clients.viewer, `/api/documents/${document.id}/events`);
    expect((await stream.next('threads')).data.threads).toEqual([]);

    // Counted from the answer: what saving takes on a loaded machine is not the event's way to the reader.
    const thread = await openThread(clients.commenter, document.id, 'Neue Frage');
    let sentAt = Date.now();
    const created = await stream.next('thread', (d) => d.thread.id === thread.id);
    expect(created.at - sentAt).toBeLessThan(1_000);
    expect(created.data.thread.comments[0].body).toBe('Neue Frage');

    const reply = (await clients.editor.post(`/api/threads/${thread.id}/comments`, { body: 'Antwort' })).json.comment;
    sentAt = Date.now();
    const replied = await stream.next('thread', (d) => d.thread.comments.length === 2);
    expect(replied.at - sentAt).toBeLessThan(1_000);

    await clients.editor.patch(`/api/comments/${reply.id}`, { body: 'Antwort, korrigiert' });
    const edited = await stream.next('thread', (d) => d.thread.comments[1]?.editedAt !== null);
    expect(edited.data.thread.comments[1].body).toBe('Antwort, korrigiert');

    await clients.editor.patch(`/api/threads/${thread.id}`, { resolved: true });
    const resolved = await stream.next('thread', (d) => d.thread.resolved);
    expect(resolved.data.thread.resolvedBy.id).toBe(clients.editor.id);

    await clients.editor.delete(`/api/comments/${reply.id}`);
    await clients.commenter.delete(`/api/comments/${thread.comments[0]!.id}`);
    expect((await stream.next('thread-deleted')).data).toEqual({ id: thread.id });
    stream.close();
  });

  it('carries events from one instance to streams on another', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(on(second, clients.viewer), `/api/documents/${document.id}/events`);
    await stream.next('threads');
    const thread = await openThread(clients.commenter, document.id, 'Über Instanzen hinweg');
    const sentAt = Date.now();
    const arrived = await stream.next('thread', (d) => d.thread.id === thread.id);
    expect(arrived.at - sentAt).toBeLessThan(1_000);
    stream.close();
  });

  it("tells a document's stream its person's unread count, first and live when they are mentioned", async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(on(second, clients.viewer), `/api/documents/${document.id}/events`);
    const before = (await stream.next('unread')).data.unread as number;
    await openThread(clients.commenter, document.id, `Bitte ansehen, @[Role viewer](${clients.viewer.id})`);
    const sentAt = Date.now();
    const told = await stream.next('unread', (d) => d.unread === before + 1);
    expect(told.at - sentAt).toBeLessThan(1_000);
    // Someone else's notifications are not theirs to hear.
    const others = await openEvents(clients.editor, `/api/documents/${document.id}/events`);
    const editorsCount = (await others.next('unread')).data.unread;
    await openThread(clients.commenter, document.id, `Und du, @[Role viewer](${clients.viewer.id})`);
    await stream.next('unread', (d) => d.unread === before + 2);
    await others.next('thread', (d) => d.thread.comments[0].body.startsWith('Und du'));
    expect(others.events.filter((e) => e.event === 'unread').map((e) => e.data.unread)).toEqual([editorsCount]);
    stream.close();
    others.close();
  });

  it('closes the stream on the other instance when the person is removed from the room', async () => {
    const { document, room, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(on(second, clients.commenter), `/api/documents/${document.id}/events`);
    await stream.next('threads');
    expect((await clients.owner.delete(`/api/rooms/${room.id}/members/${clients.commenter.id}`)).status).toBe(204);
    const removedAt = Date.now();
    expect((await stream.closed) - removedAt).toBeLessThan(1_000);
    // A later event never reaches them; reconnecting is refused.
    expect((await openEvents(on(second, clients.commenter), `/api/documents/${document.id}/events`)).status).toBe(404);
  });

  it('closes the stream when the session ends', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(clients.viewer, `/api/documents/${document.id}/events`);
    await stream.next('threads');
    expect((await clients.viewer.post('/api/auth/logout')).status).toBe(204);
    const at = Date.now();
    expect((await stream.closed) - at).toBeLessThan(1_000);
  });

  it('refuses a stream opened from a foreign site', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(clients.viewer, `/api/documents/${document.id}/events`, {
      origin: 'https://evil.example',
    });
    expect(stream.status).toBe(403);
  });
});
