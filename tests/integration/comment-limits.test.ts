import { maxDocumentComments } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let member: ApiClient & { id: string };
let documentId: string;

beforeAll(async () => {
  app = await startTestApp();
  const owner = await app.user('SH');
  member = await app.user('MV');
  const roomId = (await owner.post('/api/rooms', { name: 'AG Kommentare' })).json.room.id;
  await owner.put(`/api/rooms/${roomId}/members/${member.id}`, { role: 'commenter' });
  documentId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
    .document.id;
});
afterAll(() => app.close());

const body = 'x'.repeat(10_000);

describe('the comments of one document', () => {
  it(`stop at ${maxDocumentComments}, so that one member cannot make every reader load gigabytes`, async () => {
    const opened = await member.post(`/api/documents/${documentId}/threads`, { body, anchor: { type: 'document' } });
    expect(opened.status).toBe(201);
    const threadId = opened.json.thread.id;
    // The comments up to the last one are written directly, past the search index's trigger
    // (8 ms a row here): thousands of requests would only be slow.
    await app.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into comment (thread_id, author_id, body)
        select ${threadId}, ${member.id}, 'Kommentar ' || n from generate_series(1, ${maxDocumentComments - 2}) as n`);
    });
    const last = await member.post(`/api/threads/${threadId}/comments`, { body });
    expect(last.status).toBe(201);
    const reply = await member.post(`/api/threads/${threadId}/comments`, { body });
    expect(reply.status).toBe(409);
    expect(reply.json.error).toMatchObject({ code: 'conflict' });
    expect(reply.json.error.message).toContain(`${maxDocumentComments} comments`);
    const another = await member.post(`/api/documents/${documentId}/threads`, { body, anchor: { type: 'document' } });
    expect(another.status).toBe(409);
    const listed = await member.get(`/api/documents/${documentId}/threads`);
    expect(listed.json.threads).toHaveLength(1);
    expect(listed.json.threads[0].comments).toHaveLength(maxDocumentComments);
  });
});
