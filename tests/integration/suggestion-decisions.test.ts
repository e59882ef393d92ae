import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import type { ApiClient, TestApp } from '../helpers/app.ts';
import { passageAnchor, roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { connectClient, type SyncClient, untilCommitted } from '../helpers/sync.ts';

// The author of a suggested change hears how it was decided (inbox and mail), and a thread with an
// open suggestion cannot be resolved past it: resolving it withdraws or rejects the suggestion.

let app: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof roomWithEveryRole>>;
let editorClient: SyncClient;

interface Item {
  kind: string;
  link: string;
  outcome: string | null;
  excerpt: string | null;
  actor: { id: string } | null;
}

const documentId = () => world.document.id as string;
const decisions = async (client: ApiClient) =>
  ((await client.get('/api/notifications')).json.notifications as Item[]).filter(
    (n) => n.kind === 'suggestion_decided',
  );

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestApp({ sync: {}, smtpUrl: sink.url });
  world = await roomWithEveryRole(app);
  editorClient = connectClient({ url: app.url, origin: app.origin, cookie: world.clients.editor.cookie }, documentId());
  await editorClient.synced();
  writeParagraphs(editorClient.doc, [
    'Die AG tagt monatlich in Kiel.',
    'Protokoll der Sitzung 4.',
    'Zuständig ist Dataport.',
    'Nächster Termin im März.',
  ]);
  // A suggestion is anchored in the server's copy: wait until it has committed the paragraphs.
  await untilCommitted(
    { url: app.url, origin: app.origin, cookie: world.clients.editor.cookie },
    documentId(),
    editorClient.doc,
  );
  const held = await propose(world.clients.owner, 'März', 'April', 3);
  if (held.status !== 201) throw new Error(`a suggestion on the committed paragraphs: ${held.status} ${held.text}`);
});
afterAll(async () => {
  editorClient.destroy();
  await app.close();
  await sink.close();
});

async function propose(client: ApiClient, words: string, replacement: string, paragraph: number) {
  return client.post(`/api/documents/${documentId()}/threads`, {
    body: 'Vorschlag',
    anchor: passageAnchor(editorClient.doc, paragraph, words),
    suggestion: { text: replacement },
  });
}

async function proposed(client: ApiClient, words: string, replacement: string, paragraph: number) {
  const answer = await propose(client, words, replacement, paragraph);
  expect(answer.status).toBe(201);
  return answer.json.thread.id as string;
}

describe('a decision on a suggested change', () => {
  it('tells its author in the inbox, with a link to the thread, accepted or rejected; the decider hears nothing', async () => {
    const { commenter, editor, owner } = world.clients;
    const first = await proposed(commenter, 'monatlich', 'alle zwei Wochen', 0);
    const second = await proposed(commenter, 'Sitzung 4', 'Sitzung 5', 1);
    expect(await decisions(commenter)).toEqual([]);

    expect((await editor.post(`/api/threads/${first}/suggestion/accept`, {})).status).toBe(200);
    expect((await owner.post(`/api/threads/${second}/suggestion/reject`, {})).status).toBe(200);

    const items = await decisions(commenter);
    expect(items).toHaveLength(2);
    expect(items.find((n) => n.link.endsWith(first))).toMatchObject({
      link: `/documents/${documentId()}?thread=${first}`,
      outcome: 'accepted',
      excerpt: 'alle zwei Wochen',
      actor: { id: editor.id },
    });
    expect(items.find((n) => n.link.endsWith(second))).toMatchObject({ outcome: 'rejected', actor: { id: owner.id } });
    expect(await decisions(editor)).toEqual([]);
    expect(await decisions(owner)).toEqual([]);
  });

  it('is mailed to the author in their language at once, and not at all when they turned the kind off', async () => {
    const { commenter, editor, viewer } = world.clients;
    await commenter.patch('/api/me', { locale: 'en' });
    const thread = await proposed(commenter, 'Dataport', 'Dataport und DVZ', 2);
    expect((await editor.post(`/api/threads/${thread}/suggestion/reject`, {})).status).toBe(200);
    // Found by its link: the mail of the first test's rejection may still be on its way, and is
    // written in the language the author has when it is sent.
    const link = `${app.url}/documents/${documentId()}?thread=${thread}`;
    await expect.poll(() => sink.mailsTo(commenter.email).filter((m) => m.data.includes(link)).length).toBe(1);
    const mail = sink.mailsTo(commenter.email).find((m) => m.data.includes(link))!.data;
    expect(mail).toContain('rejected your suggested change');
    expect(mail).not.toContain(editor.email);

    // A viewer cannot propose; an editor's own suggestion decided by the owner, with mail turned off.
    expect((await propose(viewer, 'Kiel', 'Schwerin', 0)).status).toBe(403);
    const put = await editor.put('/api/notifications/preferences', { preferences: { suggestion_decided: 'off' } });
    expect(put.json.preferences).toMatchObject({ suggestion_decided: 'off' });
    const own = await proposed(editor, 'Kiel', 'Schwerin', 0);
    expect((await world.clients.owner.post(`/api/threads/${own}/suggestion/reject`, {})).status).toBe(200);
    expect(await decisions(editor)).toHaveLength(1);
    await app.jobs.run();
    expect(sink.mailsTo(editor.email).filter((m) => m.data.includes('Änderungsvorschlag'))).toEqual([]);
  });
});

describe('resolving a thread with an open suggestion', () => {
  it('is refused to another commenter, and leaves the suggestion open', async () => {
    const other = await app.user('MV', { name: 'Clara Commenter' });
    expect(
      (await world.clients.owner.put(`/api/rooms/${world.room.id}/members/${other.id}`, { role: 'commenter' })).status,
    ).toBe(200);
    const thread = await proposed(world.clients.commenter, 'AG', 'Arbeitsgruppe', 0);
    const refused = await other.patch(`/api/threads/${thread}`, { resolved: true });
    expect(refused.status).toBe(403);
    const listed = (await other.get(`/api/documents/${documentId()}/threads`)).json.threads;
    expect(listed.find((t: { id: string }) => t.id === thread)).toMatchObject({
      resolved: false,
      suggestion: { status: 'open' },
    });
    // A comment-only thread is still theirs to resolve.
    const plain = (
      await world.clients.commenter.post(`/api/documents/${documentId()}/threads`, {
        body: 'Nur eine Frage',
        anchor: { type: 'document' },
      })
    ).json.thread.id;
    expect((await other.patch(`/api/threads/${plain}`, { resolved: true })).status).toBe(200);
  });

  it('by its author withdraws it (audited, nobody notified); by an editor rejects it and tells the author', async () => {
    const { commenter, editor } = world.clients;
    const before = (await decisions(commenter)).length;
    const mine = await proposed(commenter, 'Protokoll', 'Niederschrift', 1);
    const withdrawn = await commenter.patch(`/api/threads/${mine}`, { resolved: true });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json.thread).toMatchObject({
      resolved: true,
      resolvedBy: { id: commenter.id },
      suggestion: { status: 'rejected', decidedBy: { id: commenter.id } },
    });
    const audit = (await app.admin.get('/api/admin/audit?action=comment.suggestion.reject')).json.entries;
    expect(audit[0]).toMatchObject({ actorId: commenter.id, targetId: mine, details: { withdrawn: true } });
    expect(await decisions(commenter)).toHaveLength(before);
    // Decided once: accepting it afterwards is refused, and reopening the thread keeps the decision.
    expect((await editor.post(`/api/threads/${mine}/suggestion/accept`, {})).status).toBe(409);
    const reopened = await commenter.patch(`/api/threads/${mine}`, { resolved: false });
    expect(reopened.json.thread).toMatchObject({ resolved: false, suggestion: { status: 'rejected' } });

    const theirs = await proposed(commenter, 'Sitzung', 'Tagung', 1);
    const rejected = await editor.patch(`/api/threads/${theirs}`, { resolved: true });
    expect(rejected.status).toBe(200);
    expect(rejected.json.thread).toMatchObject({
      resolved: true,
      suggestion: { status: 'rejected', decidedBy: { id: editor.id } },
    });
    const told = await decisions(commenter);
    expect(told).toHaveLength(before + 1);
    expect(told.find((n) => n.link.endsWith(theirs))).toMatchObject({ outcome: 'rejected', actor: { id: editor.id } });
  });
});
