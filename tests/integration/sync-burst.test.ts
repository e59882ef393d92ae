import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncTarget, tryUpgrade } from '../helpers/sync.ts';

let app: TestApp;
/** How often the update log loaded each document. */
const loads = new Map<string, number>();
/** Open sockets at the moment each document's load started. */
const socketsAtLoad = new Map<string, number>();
beforeAll(async () => {
  app = await startTestApp({
    sync: {
      unloadDelayMs: 200,
      // Long enough that only an access event can make an upgrade ask the database again.
      limits: { accessCacheMs: 60_000 },
      store: (store) => ({
        ...store,
        load(documentId) {
          loads.set(documentId, (loads.get(documentId) ?? 0) + 1);
          socketsAtLoad.set(documentId, app.sync!.metrics.connections);
          return store.load(documentId);
        },
      }),
    },
  });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

async function roomWithDocument() {
  const room = (await app.admin.post('/api/rooms', { name: 'Lenkungskreis Sitzung' })).json.room;
  const document = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' })).json
    .document;
  return { room, document };
}

describe('a meeting starts: everyone opens the same document at once', () => {
  it('loads the document once, and every joiner gets it', async () => {
    const { room, document } = await roomWithDocument();
    const writer = connectClient(as(app.admin), document.id);
    await writer.synced();
    const editedAt = new Date();
    writer.doc.getText('text').insert(0, 'Tagesordnung');
    await expect
      .poll(() => app.sync!.readDocument(document.id, (doc) => doc.getText('text').toString()))
      .toBe('Tagesordnung');
    // The search index reads the text while the writer is there; afterwards it would load the
    // document once more, during the burst.
    const indexed = async () =>
      (
        await app.database.pool.query(
          'select content_indexed_at from search_entry where document_id = $1 and item_id is null and content_indexed_at > $2',
          [document.id, editedAt],
        )
      ).rowCount;
    await expect.poll(indexed, { timeout: 10_000 }).toBe(1);
    writer.destroy();
    await expect.poll(() => app.sync!.loadedDocuments().includes(document.id)).toBe(false);
    loads.delete(document.id);

    const people = await Promise.all(
      ['SH', 'MV', 'SH', 'MV'].map(async (org) => {
        const person = await app.user(org);
        await app.admin.put(`/api/rooms/${room.id}/members/${person.id}`, { role: 'editor' });
        return person;
      }),
    );
    // Ten tabs per person (a shared login on the meeting room's screen, several devices).
    const joiners = people.flatMap((person) =>
      Array.from({ length: 10 }, () => connectClient(as(person), document.id)),
    );
    await Promise.all(joiners.map((joiner) => joiner.synced()));
    expect(await eventually(() => joiners.every((j) => j.doc.getText('text').toString() === 'Tagesordnung'))).toBe(
      true,
    );
    expect(loads.get(document.id)).toBe(1);
    for (const joiner of joiners) joiner.destroy();
  });
});

describe('the first joiner of an unloaded document', () => {
  it('has the load started while the handshake completes, before a socket exists', async () => {
    const { document } = await roomWithDocument();
    await expect.poll(() => app.sync!.loadedDocuments().includes(document.id)).toBe(false);
    await expect.poll(() => app.sync!.metrics.connections).toBe(0);
    const joiner = connectClient(as(app.admin), document.id);
    await joiner.synced();
    expect(loads.get(document.id)).toBe(1);
    expect(socketsAtLoad.get(document.id)).toBe(0);
    joiner.destroy();
  });

  it('leaves a document loaded ahead for an upgrade that never joins to unload as usual', async () => {
    const { document } = await roomWithDocument();
    await expect.poll(() => app.sync!.loadedDocuments().includes(document.id)).toBe(false);
    app.sync!.prefetch(document.id);
    await expect.poll(() => app.sync!.loadedDocuments().includes(document.id)).toBe(true);
    await expect.poll(() => app.sync!.loadedDocuments().includes(document.id)).toBe(false);
  });
});

describe('remembered access answers', () => {
  it('do not keep a removed member in: open sockets close with 4403 and the next upgrade is refused', async () => {
    const { room, document } = await roomWithDocument();
    const member = await app.user('SH');
    await app.admin.put(`/api/rooms/${room.id}/members/${member.id}`, { role: 'editor' });
    const tabs = [connectClient(as(member), document.id), connectClient(as(member), document.id)];
    await Promise.all(tabs.map((tab) => tab.synced()));

    await app.admin.delete(`/api/rooms/${room.id}/members/${member.id}`);
    expect(await eventually(() => tabs.every((tab) => tab.closes.some((close) => close.code === 4403)))).toBe(true);
    const url = `${app.url.replace(/^http/, 'ws')}/sync/${document.id}`;
    expect(await tryUpgrade(url, { origin: app.origin, cookie: member.cookie! })).toEqual({ status: 403 });
    for (const tab of tabs) tab.destroy();
  });

  it('do not let a socket opened as the member is removed stay open', async () => {
    const { room, document } = await roomWithDocument();
    const member = await app.user('MV');
    await app.admin.put(`/api/rooms/${room.id}/members/${member.id}`, { role: 'editor' });
    const first = connectClient(as(member), document.id);
    await first.synced();

    // The removal and a new tab race: the tab is refused, or opens and is closed with 4403.
    const removed = app.admin.delete(`/api/rooms/${room.id}/members/${member.id}`);
    const late = connectClient(as(member), document.id, { maxBackoffTime: 60_000 });
    await removed;
    expect(await eventually(() => first.closes.some((close) => close.code === 4403))).toBe(true);
    expect(
      await eventually(
        () => !late.provider.wsconnected && (late.closes.length > 0 || !late.provider.wsconnecting),
        5_000,
      ),
    ).toBe(true);
    expect(late.closes.every((close) => close.code === 4403 || close.code === 1006)).toBe(true);
    first.destroy();
    late.destroy();
  });
});
