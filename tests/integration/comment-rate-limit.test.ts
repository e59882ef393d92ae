import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let writer: ApiClient & { id: string };
let colleague: ApiClient & { id: string };
let latecomer: ApiClient & { id: string };
let documentId: string;

beforeAll(async () => {
  // Three a minute, so that the limit is reached in a few requests.
  app = await startTestApp({ commentLimits: { perMinute: 3, perHour: 100 } });
  const owner = await app.user('SH');
  writer = await app.user('MV');
  colleague = await app.user('NI');
  latecomer = await app.user('DVZ');
  const roomId = (await owner.post('/api/rooms', { name: 'AG Tempo' })).json.room.id;
  for (const person of [writer, colleague, latecomer])
    await owner.put(`/api/rooms/${roomId}/members/${person.id}`, { role: 'commenter' });
  documentId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
    .document.id;
});
afterAll(() => app.close());

describe('comments written in quick succession', () => {
  it('are refused past the writer’s limit with 429 and how long to wait, while others write on', async () => {
    const opened = await writer.post(`/api/documents/${documentId}/threads`, {
      body: 'Erste Frage',
      anchor: { type: 'document' },
    });
    expect(opened.status).toBe(201);
    const threadId = opened.json.thread.id;
    const commentId = opened.json.thread.comments[0].id;
    expect((await writer.post(`/api/threads/${threadId}/comments`, { body: 'Nachtrag' })).status).toBe(201);
    expect((await writer.patch(`/api/comments/${commentId}`, { body: 'Erste Frage, genauer' })).status).toBe(200);

    for (const refused of [
      await writer.post(`/api/threads/${threadId}/comments`, { body: 'Noch einer' }),
      await writer.post(`/api/documents/${documentId}/threads`, { body: 'Neue Frage', anchor: { type: 'document' } }),
      await writer.patch(`/api/comments/${commentId}`, { body: 'Erste Frage, noch genauer' }),
    ]) {
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('rate_limited');
      expect(refused.json.error.message).toMatch(/too many comments/i);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
    }
    // Nothing refused was written.
    const listed = await writer.get(`/api/documents/${documentId}/threads`);
    expect(listed.json.threads).toHaveLength(1);
    expect(listed.json.threads[0].comments.map((comment: { body: string }) => comment.body)).toEqual([
      'Erste Frage, genauer',
      'Nachtrag',
    ]);

    // The limit is the writer's own: a colleague in the same thread is not held back.
    expect((await colleague.post(`/api/threads/${threadId}/comments`, { body: 'Ich antworte' })).status).toBe(201);
  });

  it('count only comments written: one refused for another reason does not bring the wait nearer', async () => {
    const outsider = await app.user('DATAPORT');
    const opened = await latecomer.post(`/api/documents/${documentId}/threads`, {
      body: 'Eine Frage',
      anchor: { type: 'document' },
    });
    expect(opened.status).toBe(201);
    const threadId = opened.json.thread.id;
    const commentId = opened.json.thread.comments[0].id;
    const mention = `Siehe @[Außen](${outsider.id})`;
    // Refused for the mention, each of the three kinds of write, more often than the limit allows.
    for (const refused of [
      await latecomer.post(`/api/threads/${threadId}/comments`, { body: mention }),
      await latecomer.post(`/api/documents/${documentId}/threads`, { body: mention, anchor: { type: 'document' } }),
      await latecomer.patch(`/api/comments/${commentId}`, { body: mention }),
      await latecomer.post(`/api/threads/${threadId}/comments`, { body: mention }),
    ]) {
      expect(refused.status).toBe(422);
    }
    // Three a minute: the thread above and these two.
    expect((await latecomer.post(`/api/threads/${threadId}/comments`, { body: 'Zweitens' })).status).toBe(201);
    expect((await latecomer.patch(`/api/comments/${commentId}`, { body: 'Eine Frage, genauer' })).status).toBe(200);
    expect((await latecomer.post(`/api/threads/${threadId}/comments`, { body: 'Drittens' })).status).toBe(429);
  });

  it('let the writer on once the minute is over, counting afresh', async () => {
    const key = `comment:minute:${writer.id}`;
    // The writer of the first test is at the limit; their minute ends.
    await app.database.db.execute(
      sql`update rate_limit set window_start = window_start - interval '61 seconds' where key = ${key}`,
    );
    const opened = await writer.post(`/api/documents/${documentId}/threads`, {
      body: 'Nach der Pause',
      anchor: { type: 'document' },
    });
    expect(opened.status).toBe(201);
    const { rows } = await app.database.db.execute<{ count: number; fresh: boolean }>(
      sql`select count, window_start > now() - interval '5 seconds' as fresh from rate_limit where key = ${key}`,
    );
    expect(rows).toEqual([{ count: 1, fresh: true }]);
  });
});
