import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, TestApp } from '../helpers/app.ts';
import {
  everyone,
  type Member,
  openThread,
  roomWithEveryRole,
  someTextAnchor,
  startTestApp,
  type Who,
} from '../helpers/comments.ts';
import { openEvents } from '../helpers/events.ts';

let app: TestApp;
let world: Awaited<ReturnType<typeof roomWithEveryRole>>;
beforeAll(async () => {
  app = await startTestApp();
  world = await roomWithEveryRole(app);
});
afterAll(() => app.close());

type Ids = { doc: string; thread: string; ownersComment: string };

// Expected status per caller, written out so a change in the rules shows as a diff here.
const matrix: {
  name: string;
  expected: Record<Who, number>;
  call: (c: ApiClient, i: Ids) => Promise<{ status: number }>;
}[] = [
  {
    name: 'GET threads',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 403 },
    call: (c, i) => c.get(`/api/documents/${i.doc}/threads`),
  },
  {
    name: 'POST thread',
    expected: { owner: 201, editor: 201, commenter: 201, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.post(`/api/documents/${i.doc}/threads`, { body: 'Neu', anchor: { type: 'document' } }),
  },
  {
    name: 'POST reply',
    expected: { owner: 201, editor: 201, commenter: 201, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.post(`/api/threads/${i.thread}/comments`, { body: 'Antwort' }),
  },
  {
    name: 'PATCH thread (resolve)',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.patch(`/api/threads/${i.thread}`, { resolved: true }),
  },
  {
    name: "PATCH someone else's comment",
    expected: { owner: 200, editor: 403, commenter: 403, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.patch(`/api/comments/${i.ownersComment}`, { body: 'geändert' }),
  },
  {
    name: "DELETE someone else's comment",
    expected: { owner: 204, editor: 403, commenter: 403, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.delete(`/api/comments/${i.ownersComment}`),
  },
  {
    name: 'GET mention candidates',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 403, outsider: 404, admin: 403 },
    call: (c, i) => c.get(`/api/documents/${i.doc}/mention-candidates`),
  },
  {
    name: 'GET live events',
    expected: { owner: 200, editor: 200, commenter: 200, viewer: 200, outsider: 404, admin: 403 },
    call: async (c, i) => {
      const stream = await openEvents(c, `/api/documents/${i.doc}/events`);
      stream.close();
      return stream;
    },
  },
];

describe('the role matrix of comments', () => {
  for (const row of matrix) {
    for (const who of everyone) {
      it(`${row.name} as ${who} answers ${row.expected[who]}`, async () => {
        const { clients, document } = world;
        // The owner wrote the thread; for "someone else's", the owner is the author, so the
        // owner's own 200/204 is as author (moderation is tested below).
        const thread = await openThread(clients.owner, document.id);
        const ids = { doc: document.id, thread: thread.id, ownersComment: thread.comments[0]!.id };
        expect((await row.call(clients[who], ids)).status).toBe(row.expected[who]);
      });
    }
  }

  it('answers 401 without a session', async () => {
    const anonymous = app.anonymous();
    expect((await anonymous.get(`/api/documents/${world.document.id}/threads`)).status).toBe(401);
    expect((await anonymous.get('/api/notifications')).status).toBe(401);
    expect((await openEvents(anonymous, `/api/documents/${world.document.id}/events`)).status).toBe(401);
  });
});

describe('authors and moderators', () => {
  it('lets an author edit and delete their own comment, and shows the edit', async () => {
    const { commenter } = world.clients;
    const thread = await openThread(commenter, world.document.id, 'Erster Gedanke');
    const reply = await commenter.post(`/api/threads/${thread.id}/comments`, { body: 'Zweiter' });
    const edited = await commenter.patch(`/api/comments/${reply.json.comment.id}`, { body: 'Zweiter, besser' });
    expect(edited.status).toBe(200);
    expect(edited.json.comment).toMatchObject({
      body: 'Zweiter, besser',
      author: { id: commenter.id, organization: { code: 'MV' } },
    });
    expect(edited.json.comment.editedAt).not.toBeNull();
    expect((await commenter.delete(`/api/comments/${reply.json.comment.id}`)).status).toBe(204);
    const threads = (await commenter.get(`/api/documents/${world.document.id}/threads`)).json.threads;
    expect(threads.find((t: { id: string }) => t.id === thread.id).comments).toHaveLength(1);
  });

  it("lets an owner delete anyone's comment, audited, and the empty thread goes with it", async () => {
    const { commenter, owner } = world.clients;
    const thread = await openThread(commenter, world.document.id, 'Unpassend');
    expect((await owner.delete(`/api/comments/${thread.comments[0]!.id}`)).status).toBe(204);
    const threads = (await owner.get(`/api/documents/${world.document.id}/threads`)).json.threads;
    expect(threads.map((t: { id: string }) => t.id)).not.toContain(thread.id);
    const audit = (await app.admin.get('/api/admin/audit?action=comment.delete')).json.entries;
    expect(audit[0]).toMatchObject({ action: 'comment.delete', actorId: owner.id, targetId: thread.comments[0]!.id });
  });

  it('records who resolved a thread, and reopens it', async () => {
    const { commenter, editor } = world.clients;
    const thread = await openThread(commenter, world.document.id);
    const resolved = await editor.patch(`/api/threads/${thread.id}`, { resolved: true });
    expect(resolved.json.thread).toMatchObject({ resolved: true, resolvedBy: { id: editor.id, name: 'Role editor' } });
    const reopened = await commenter.patch(`/api/threads/${thread.id}`, { resolved: false });
    expect(reopened.json.thread).toMatchObject({ resolved: false, resolvedBy: null });
  });
});

describe('validation', () => {
  it('keeps a body between 1 and 10,000 characters, verbatim as plain text', async () => {
    const { editor } = world.clients;
    const doc = world.document.id;
    const anchor = { type: 'document' };
    expect((await editor.post(`/api/documents/${doc}/threads`, { body: '   ', anchor })).status).toBe(400);
    const tooLong = await editor.post(`/api/documents/${doc}/threads`, { body: 'x'.repeat(10_001), anchor });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.fields.body).toContain('10000');
    const html = '<img src=x onerror=alert(1)> & https://example.org';
    const created = await editor.post(`/api/documents/${doc}/threads`, { body: html, anchor });
    expect(created.json.thread.comments[0].body).toBe(html);
    expect((await editor.post(`/api/documents/${doc}/threads`, { body: 'x'.repeat(10_000), anchor })).status).toBe(201);
  });

  it('takes a text anchor on notes and refuses one that is no Yjs position or does not fit the kind', async () => {
    const { editor } = world.clients;
    const doc = world.document.id;
    const anchor = someTextAnchor();
    const created = await editor.post(`/api/documents/${doc}/threads`, { body: 'Hier', anchor });
    expect(created.status).toBe(201);
    expect(created.json.thread.anchor).toEqual(anchor);
    const broken = await editor.post(`/api/documents/${doc}/threads`, {
      body: 'x',
      anchor: { ...anchor, start: 'AAAA' },
    });
    expect(broken.status).toBe(400);
    const milestone = await editor.post(`/api/documents/${doc}/threads`, {
      body: 'x',
      anchor: { type: 'milestone', milestoneId: 'm1' },
    });
    expect(milestone.status).toBe(400);
  });
});

describe('mentions', () => {
  it('refuses to mention someone who cannot read the document, with a clear message', async () => {
    const { editor, outsider } = world.clients;
    const body = `Was meint @[Otto Outsider](${outsider.id}) dazu?`;
    const refused = await editor.post(`/api/documents/${world.document.id}/threads`, {
      body,
      anchor: { type: 'document' },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('mention_refused');
    expect(refused.json.error.message).toContain('Otto Outsider cannot read this document');
    // Nothing was stored and no access was given.
    expect((await outsider.get(`/api/documents/${world.document.id}/threads`)).status).toBe(404);
  });

  it('offers everyone who may read the document, with their organisation', async () => {
    const { editor, viewer, outsider } = world.clients;
    const people = (await editor.get(`/api/documents/${world.document.id}/mention-candidates`)).json.people;
    const ids = people.map((p: { id: string }) => p.id);
    expect(ids).toContain(viewer.id);
    expect(ids).not.toContain(outsider.id);
    expect(people.find((p: { id: string }) => p.id === viewer.id).organization.code).toBe('SH');
  });
});

describe('losing access', () => {
  it('takes the threads away from someone removed from the room at once', async () => {
    const { owner } = world.clients;
    const leaving = (await app.user('SH', { name: 'Leaving' })) as Member;
    await owner.put(`/api/rooms/${world.room.id}/members/${leaving.id}`, { role: 'commenter' });
    const thread = await openThread(leaving, world.document.id, 'Noch da');
    const stream = await openEvents(leaving, `/api/documents/${world.document.id}/events`);
    await stream.next('threads');
    expect((await owner.delete(`/api/rooms/${world.room.id}/members/${leaving.id}`)).status).toBe(204);
    const removedAt = Date.now();
    expect((await stream.closed) - removedAt).toBeLessThan(1_000);
    expect(stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'access' } });
    expect((await leaving.get(`/api/documents/${world.document.id}/threads`)).status).toBe(404);
    expect((await leaving.post(`/api/threads/${thread.id}/comments`, { body: 'x' })).status).toBe(404);
    expect((await leaving.patch(`/api/comments/${thread.comments[0]!.id}`, { body: 'x' })).status).toBe(404);
  });
});
