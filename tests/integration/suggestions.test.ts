import { notesText } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import type { ApiClient, TestApp } from '../helpers/app.ts';
import { paragraphText, passageAnchor, roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { connectClient, eventually, type SyncClient } from '../helpers/sync.ts';

let app: TestApp;
let world: Awaited<ReturnType<typeof roomWithEveryRole>>;
let editorClient: SyncClient;
let ownerClient: SyncClient;

const target = (client: ApiClient) => ({ url: app.url, origin: app.origin, cookie: client.cookie });
const documentId = () => world.document.id as string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  world = await roomWithEveryRole(app);
  editorClient = connectClient(target(world.clients.editor), documentId());
  ownerClient = connectClient(target(world.clients.owner), documentId());
  await Promise.all([editorClient.synced(), ownerClient.synced()]);
});
afterAll(async () => {
  editorClient.destroy();
  ownerClient.destroy();
  await app.close();
});

/** Writes fresh paragraphs through the editor's stock client and waits until the owner's has them. */
async function write(lines: string[]) {
  writeParagraphs(editorClient.doc, lines);
  expect(await eventually(() => notesText(ownerClient.doc) === lines.join('\n'))).toBe(true);
}

async function propose(client: ApiClient, words: string, replacement: string, paragraph = 0) {
  return client.post(`/api/documents/${documentId()}/threads`, {
    body: 'Vorschlag der AG',
    anchor: passageAnchor(editorClient.doc, paragraph, words),
    suggestion: { text: replacement },
  });
}

const accept = (client: ApiClient, threadId: string, body: object = {}) =>
  client.post(`/api/threads/${threadId}/suggestion/accept`, body);

describe('a suggested change', () => {
  it('is proposed by an MV commenter without write access, who cannot accept it', async () => {
    await write(['Die AG Registermodernisierung tagt monatlich.']);
    const proposed = await propose(world.clients.commenter, 'monatlich', 'alle zwei Wochen');
    expect(proposed.status).toBe(201);
    expect(proposed.json.thread.suggestion).toMatchObject({
      text: 'alle zwei Wochen',
      status: 'open',
      author: { id: world.clients.commenter.id, organization: { code: 'MV' } },
      decidedBy: null,
    });
    const threadId = proposed.json.thread.id;
    expect((await accept(world.clients.commenter, threadId)).status).toBe(403);
    expect((await app.anonymous().post(`/api/threads/${threadId}/suggestion/reject`, {})).status).toBe(401);
    expect((await world.clients.commenter.post(`/api/threads/${threadId}/suggestion/reject`, {})).status).toBe(403);
    expect((await accept(world.clients.viewer, threadId)).status).toBe(403);
    expect((await propose(world.clients.viewer, 'AG', 'Arbeitsgruppe')).status).toBe(403);
    expect(notesText(ownerClient.doc)).toBe('Die AG Registermodernisierung tagt monatlich.');
  });

  it('accepted by the editor, is an ordinary edit every connected stock client receives, recorded and audited', async () => {
    await write(['Die AG Registermodernisierung tagt monatlich.', 'Nächster Termin: 12. März.']);
    const { thread } = (await propose(world.clients.commenter, 'Registermodernisierung', 'Digitale Verwaltung')).json;

    const accepted = await accept(world.clients.editor, thread.id);
    expect(accepted.status).toBe(200);
    expect(accepted.json.thread).toMatchObject({
      resolved: true,
      resolvedBy: { id: world.clients.editor.id },
      suggestion: { status: 'accepted', decidedBy: { id: world.clients.editor.id, organization: { code: 'SH' } } },
    });
    const expected = 'Die AG Digitale Verwaltung tagt monatlich.\nNächster Termin: 12. März.';
    expect(await eventually(() => notesText(ownerClient.doc) === expected)).toBe(true);
    expect(await eventually(() => notesText(editorClient.doc) === expected)).toBe(true);

    // Only the first decision counts.
    expect((await accept(world.clients.owner, thread.id)).status).toBe(409);
    const audit = (await app.admin.get('/api/admin/audit?action=comment.suggestion.accept')).json.entries;
    expect(audit[0]).toMatchObject({ actorId: world.clients.editor.id, targetId: thread.id });
    const listed = (await world.clients.viewer.get(`/api/documents/${documentId()}/threads`)).json.threads;
    expect(listed.find((t: { id: string }) => t.id === thread.id).suggestion.status).toBe('accepted');
  });

  it('rejected by the owner, leaves the text as it is and resolves the thread', async () => {
    await write(['Protokoll: Datenraum Nord, Sitzung 4.']);
    const { thread } = (await propose(world.clients.commenter, 'Sitzung 4', 'Sitzung 5')).json;
    const rejected = await world.clients.owner.post(`/api/threads/${thread.id}/suggestion/reject`, {});
    expect(rejected.status).toBe(200);
    expect(rejected.json.thread).toMatchObject({
      resolved: true,
      suggestion: { status: 'rejected', decidedBy: { id: world.clients.owner.id } },
    });
    expect((await accept(world.clients.editor, thread.id)).status).toBe(409);
    const audit = (await app.admin.get('/api/admin/audit?action=comment.suggestion.reject')).json.entries;
    expect(audit[0]).toMatchObject({ actorId: world.clients.owner.id, targetId: thread.id });
    expect(notesText(editorClient.doc)).toBe('Protokoll: Datenraum Nord, Sitzung 4.');
  });

  it('on a passage changed since, asks for confirmation before it replaces the passage as it reads now', async () => {
    await write(['Zuständig ist Dataport für SH.']);
    const { thread } = (await propose(world.clients.commenter, 'Dataport für SH', 'DVZ M-V für MV')).json;
    paragraphText(editorClient.doc, 0).insert('Zuständig ist Dataport'.length, ' (Kiel)');
    expect(await eventually(() => notesText(ownerClient.doc) === 'Zuständig ist Dataport (Kiel) für SH.')).toBe(true);

    const refused = await accept(world.clients.editor, thread.id);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: 'passage_changed',
      fields: { confirm: 'Dataport (Kiel) für SH' },
    });
    expect(notesText(ownerClient.doc)).toBe('Zuständig ist Dataport (Kiel) für SH.');

    const confirmed = await accept(world.clients.editor, thread.id, { confirm: true });
    expect(confirmed.status).toBe(200);
    expect(await eventually(() => notesText(ownerClient.doc) === 'Zuständig ist DVZ M-V für MV.')).toBe(true);
  });

  it('cannot be accepted once its passage is deleted, and is refused across paragraphs or off a passage', async () => {
    await write(['Erster Absatz.', 'Zweiter Absatz.']);
    const { thread } = (await propose(world.clients.commenter, 'Zweiter', 'Letzter', 1)).json;
    const second = paragraphText(editorClient.doc, 1);
    second.delete(0, second.length);
    expect(await eventually(() => notesText(ownerClient.doc) === 'Erster Absatz.\n')).toBe(true);
    const gone = await accept(world.clients.editor, thread.id);
    expect(gone.status).toBe(409);
    expect(gone.json.error.code).toBe('conflict');

    await write(['Erster Absatz.', 'Zweiter Absatz.']);
    const first = paragraphText(editorClient.doc, 0);
    const across = passageAnchor(editorClient.doc, 0, 'Absatz.');
    across.end = passageAnchor(editorClient.doc, 1, 'Zweiter').end;
    const spanning = await world.clients.commenter.post(`/api/documents/${documentId()}/threads`, {
      body: 'Zusammenfassen',
      anchor: across,
      suggestion: { text: 'x' },
    });
    expect(spanning.status).toBe(400);
    expect(spanning.json.error.fields.anchor).toMatch(/one paragraph/);
    const offPassage = await world.clients.commenter.post(`/api/documents/${documentId()}/threads`, {
      body: 'Allgemein',
      anchor: { type: 'document' },
      suggestion: { text: 'x' },
    });
    expect(offPassage.status).toBe(400);
    const tooLong = await propose(world.clients.commenter, 'Erster', 'x'.repeat(2_001));
    expect(tooLong.status).toBe(400);
    expect(first.toString()).toBe('Erster Absatz.');
  });

  it('on a passage the server has not received yet answers 409 passage_pending, and once it has, accepts it', async () => {
    await write(['Sitzung am Montag.']);
    // An editor offline: their copy of the document has a paragraph the server has not seen.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(editorClient.doc));
    writeParagraphs(offline, ['Sitzung am Montag.', 'Neu: Termin in Schwerin.']);
    const early = passageAnchor(offline, 1, 'Schwerin');
    const send = () =>
      world.clients.editor.post(`/api/documents/${documentId()}/threads`, {
        body: 'Ort prüfen',
        anchor: early,
        suggestion: { text: 'Rostock' },
      });

    const pending = await send();
    expect(pending.status).toBe(409);
    expect(pending.json.error.code).toBe('passage_pending');

    // Back online: the stock client sends the paragraph; once committed, the same anchor is good.
    const online = connectClient(target(world.clients.editor), documentId(), { doc: offline });
    try {
      expect(await eventually(() => notesText(ownerClient.doc).endsWith('Termin in Schwerin.'))).toBe(true);
      const proposed = await send();
      expect(proposed.status).toBe(201);

      // The same anchor once its paragraph is deleted: gone, as before (400), not pending.
      writeParagraphs(offline, ['Sitzung am Montag.']);
      expect(await eventually(() => notesText(ownerClient.doc) === 'Sitzung am Montag.')).toBe(true);
      const gone = await send();
      expect(gone.status).toBe(400);
      expect(gone.json.error.fields.anchor).toMatch(/no longer in the document/);
    } finally {
      online.destroy();
    }
  });
});
