import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncTarget, tryUpgrade } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { unloadDelayMs: 200 } });
});
afterAll(() => app.close());

async function roomWithDocument(owner = app.admin) {
  const room = (await owner.post('/api/rooms', { name: 'AG Sync' })).json.room;
  const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' })).json
    .document;
  return { room, document };
}

const contentOf = (doc: Y.Doc) => JSON.stringify([doc.getArray('items').toJSON(), doc.getText('text').toString()]);

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

describe('co-editing over /sync with the stock y-websocket client', () => {
  it('converges concurrent edits and keeps them after every client left', async () => {
    const { document } = await roomWithDocument();
    const clients = [
      connectClient(as(app.admin), document.id),
      connectClient(as(app.admin), document.id),
      connectClient(as(app.admin), document.id),
    ];
    await Promise.all(clients.map((client) => client.synced()));
    clients.forEach((client, index) => {
      for (let i = 0; i < 20; i += 1) client.doc.getArray<string>('items').push([`c${index}-${i}`]);
      client.doc.getText('text').insert(0, `Hallo von ${index}. `);
    });
    const same = () => {
      const states = clients.map((client) => contentOf(client.doc));
      return states.every((state) => state === states[0]) && clients[0]!.doc.getArray('items').length === 60;
    };
    expect(await eventually(same)).toBe(true);
    const expected = contentOf(clients[0]!.doc);
    for (const client of clients) client.destroy();
    // Unloading flushes and compacts first, which a loaded machine makes slow.
    expect(await eventually(() => app.sync!.loadedDocuments().length === 0, 20_000)).toBe(true);
    // Unloaded, the document is its compacted snapshot: a page's first view reads it as it is.
    const response = await fetch(`${app.url}/api/documents/${document.id}/state`, {
      headers: { cookie: app.admin.cookie! },
    });
    const stored = new Y.Doc();
    Y.applyUpdate(stored, new Uint8Array(await response.arrayBuffer()));
    expect(contentOf(stored)).toBe(expected);
    expect(app.sync!.loadedDocuments()).toEqual([]);
    const late = connectClient(as(app.admin), document.id);
    await late.synced();
    expect(await eventually(() => contentOf(late.doc) === expected)).toBe(true);
    late.destroy();
  });
});

describe('edits that commit together', () => {
  it('reach the other clients as one update per commit, and every client converges', async () => {
    const { document } = await roomWithDocument();
    const writers = [0, 1, 2].map(() => connectClient(as(app.admin), document.id));
    const reader = connectClient(as(app.admin), document.id);
    await Promise.all([...writers, reader].map((client) => client.synced()));
    let received = 0;
    reader.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === reader.provider) received += 1;
    });
    // 120 edits in one turn, each a message of its own: they commit in a few batches.
    writers.forEach((client, index) => {
      for (let i = 0; i < 40; i += 1) client.doc.getArray<string>('items').push([`w${index}-${i}`]);
    });
    const complete = (client: { doc: Y.Doc }) => client.doc.getArray('items').length === 120;
    expect(await eventually(() => [...writers, reader].every(complete))).toBe(true);
    const expected = contentOf(reader.doc);
    for (const writer of writers) expect(contentOf(writer.doc)).toBe(expected);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(120);
    for (const client of [...writers, reader]) client.destroy();
  });
});

describe('newcomers', () => {
  it('get the document as it is now: from the compacted snapshot, and again after every change', async () => {
    const { document } = await roomWithDocument();
    const writer = connectClient(as(app.admin), document.id);
    await writer.synced();
    for (let i = 0; i < 30; i += 1) writer.doc.getArray<string>('items').push([`vor-${i}`]);
    const written = contentOf(writer.doc);
    expect(
      await eventually(async () => app.sync!.readDocument(document.id, (doc) => doc.getArray('items').length === 30)),
    ).toBe(true);
    writer.destroy();
    // Unloading flushes and compacts first, which a loaded machine makes slow.
    expect(await eventually(() => app.sync!.loadedDocuments().length === 0, 20_000)).toBe(true);

    // Loaded again from the snapshot written at unload; the first two get it as it was stored.
    const first = connectClient(as(app.admin), document.id);
    const second = connectClient(as(app.admin), document.id);
    await Promise.all([first.synced(), second.synced()]);
    expect(contentOf(first.doc)).toBe(written);
    expect(contentOf(second.doc)).toBe(written);

    // After a change, a newcomer gets the change too, not the state the others started from.
    first.doc.getText('text').insert(0, 'Ergänzt nach dem Laden. ');
    first.doc.getArray<string>('items').delete(0, 1);
    const changed = contentOf(first.doc);
    expect(await eventually(() => contentOf(second.doc) === changed)).toBe(true);
    const third = connectClient(as(app.admin), document.id);
    await third.synced();
    expect(await eventually(() => contentOf(third.doc) === changed)).toBe(true);

    // A change that only deletes counts as a change too.
    first.doc.getArray<string>('items').delete(0, 2);
    const deleted = contentOf(first.doc);
    expect(await eventually(() => contentOf(third.doc) === deleted)).toBe(true);
    const fourth = connectClient(as(app.admin), document.id);
    await fourth.synced();
    expect(contentOf(fourth.doc)).toBe(deleted);
    for (const client of [first, second, third, fourth]) client.destroy();
  });
});

describe('the upgrade', () => {
  it('answers 401 without a session, 403 for a foreign Origin or an outsider, and opens for members', async () => {
    const { document } = await roomWithDocument();
    const url = `${app.url.replace('http', 'ws')}/sync/${document.id}`;
    expect(await tryUpgrade(url, { origin: app.origin })).toEqual({ status: 401 });
    expect(await tryUpgrade(url, { origin: 'https://evil.example', cookie: app.admin.cookie! })).toEqual({
      status: 403,
    });
    expect(await tryUpgrade(url, { cookie: app.admin.cookie! })).toEqual({ status: 403 });
    const outsider = await app.user('MV');
    expect(await tryUpgrade(url, { origin: app.origin, cookie: outsider.cookie! })).toEqual({ status: 403 });
    const token = app.admin.cookie!.split('=')[1]!;
    expect(await tryUpgrade(`${url}?token=${token}`, { origin: app.origin })).toEqual({ status: 401 });
    const forged = app.admin.cookie!.replace(/\.[^.;]+/, '.falschesgeheimnisfalschesgeheimnis');
    expect(await tryUpgrade(url, { origin: app.origin, cookie: forged })).toEqual({ status: 401 });
    const opened = await tryUpgrade(url, { origin: app.origin, cookie: app.admin.cookie! });
    expect('open' in opened).toBe(true);
    if ('open' in opened) opened.open.close();
  });

  it('answers 404 for a document that does not exist or an id that is none, 401 before that', async () => {
    const base = `${app.url.replace('http', 'ws')}/sync`;
    const session = { origin: app.origin, cookie: app.admin.cookie! };
    expect(await tryUpgrade(`${base}/${crypto.randomUUID()}`, session)).toEqual({ status: 404 });
    expect(await tryUpgrade(`${base}/kein-dokument`, session)).toEqual({ status: 404 });
    expect(await tryUpgrade(`${base}/kein-dokument`, { origin: app.origin })).toEqual({ status: 401 });
    expect(await tryUpgrade(`${base}/${crypto.randomUUID()}`, { origin: app.origin })).toEqual({ status: 401 });
  });
});
