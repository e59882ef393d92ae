import { maxDocumentComments } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let owner: ApiClient;
let member: ApiClient & { id: string };
let roomId: string;
let documentId: string;

beforeAll(async () => {
  app = await startTestApp();
  owner = await app.user('SH');
  member = await app.user('MV');
  roomId = (await owner.post('/api/rooms', { name: 'AG Kommentare' })).json.room.id;
  await owner.put(`/api/rooms/${roomId}/members/${member.id}`, { role: 'commenter' });
  documentId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
    .document.id;
});
afterAll(() => app.close());

const body = 'x'.repeat(10_000);

/** Opens a thread on a new document and fills it up to `count` comments past the API. */
async function documentWith(count: number) {
  const created = await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title: 'Voll' });
  const id = created.json.document.id as string;
  const opened = await member.post(`/api/documents/${id}/threads`, { body: 'erster', anchor: { type: 'document' } });
  const threadId = opened.json.thread.id as string;
  // The comments are written directly, past the search index's trigger (8 ms a row here):
  // thousands of requests would only be slow.
  await app.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`
      insert into comment (thread_id, author_id, body)
      select ${threadId}, ${member.id}, 'Kommentar ' || n from generate_series(1, ${count - 1}) as n`);
  });
  return { documentId: id, threadId };
}

/** Comments counted against the member's per-minute limit (comment-throttle.ts). */
async function countedForMember() {
  const [row] = (
    await app.database.db.execute<{ n: number }>(sql`
      select coalesce((select count from rate_limit where key = ${`comment:minute:${member.id}`}), 0)::int as n`)
  ).rows;
  return row!.n;
}

async function commentsOf(id: string) {
  const [row] = (
    await app.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from comment join comment_thread on comment_thread.id = comment.thread_id
      where comment_thread.document_id = ${id}`)
  ).rows;
  return row!.n;
}

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
    const counted = await countedForMember();
    const reply = await member.post(`/api/threads/${threadId}/comments`, { body });
    expect(reply.status).toBe(409);
    expect(reply.json.error).toMatchObject({ code: 'conflict' });
    expect(reply.json.error.message).toContain(`${maxDocumentComments} comments`);
    const another = await member.post(`/api/documents/${documentId}/threads`, { body, anchor: { type: 'document' } });
    expect(another.status).toBe(409);
    // Nothing written, nothing counted against the writer's rate limit.
    expect(await countedForMember()).toBe(counted);
    const listed = await member.get(`/api/documents/${documentId}/threads`);
    expect(listed.json.threads).toHaveLength(1);
    expect(listed.json.threads[0].comments).toHaveLength(maxDocumentComments);
  });

  it('when full, say so before anything else a comment would be refused for', async () => {
    const full = await documentWith(maxDocumentComments);
    // Someone outside the room: a mention of them is refused with 422 on a document with room.
    const outsider = await app.user('DATAPORT');
    const mention = `Bitte ansehen, @[Außen](${outsider.id})`;
    const opened = await member.post(`/api/documents/${full.documentId}/threads`, {
      body: mention,
      anchor: { type: 'document' },
    });
    expect(opened.status).toBe(409);
    expect(opened.json.error.code).toBe('conflict');
    const replied = await member.post(`/api/threads/${full.threadId}/comments`, { body: mention });
    expect(replied.status).toBe(409);
  });

  it('let exactly one of many writers at once take the last place', async () => {
    const full = await documentWith(maxDocumentComments - 1);
    // Replies and new threads at the same moment: without a lock, several of them counted
    // 4,999 and were written.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        n % 2 === 0
          ? member.post(`/api/threads/${full.threadId}/comments`, { body: `Antwort ${n}` })
          : member.post(`/api/documents/${full.documentId}/threads`, {
              body: `Neu ${n}`,
              anchor: { type: 'document' },
            }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await commentsOf(full.documentId)).toBe(maxDocumentComments);
  });

  it('are described with the cap the server applies', async () => {
    const { paths } = (await app.anonymous().get('/api/openapi.json')).json;
    const cap = `${maxDocumentComments.toLocaleString('en-GB')} comments`;
    expect(paths['/documents/{documentId}/threads'].post.summary).toContain(cap);
    expect(paths['/threads/{threadId}/comments'].post.summary).toContain(cap);
  });
});
