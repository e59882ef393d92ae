import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncClient, type SyncTarget } from '../helpers/sync.ts';

// Issue 18, item 5: an archived document is read-only for everyone until it is restored. Open
// writers are told like after a role downgrade (4100), and come back read-only.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});
const textOf = (client: SyncClient) => client.doc.getText('text').toString();
const readOnlyDrops = () => Number(app.sync!.metrics.rejected.get('read_only') ?? 0);

async function documentWithEditor() {
  const room = (await app.admin.post('/api/rooms', { name: 'AG Archiv' })).json.room;
  const documentId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Alt' })).json
    .document.id as string;
  const editor = await app.user('MV', { name: 'Clara Claussen' });
  await app.admin.put(`/api/rooms/${room.id}/members/${editor.id}`, { role: 'editor' });
  return { documentId, editor };
}
const archive = (documentId: string, archived: boolean) =>
  app.admin.patch(`/api/documents/${documentId}`, { archived });

describe('an archived document', () => {
  it('opens read-only for everyone, its owner included: edits are dropped', async () => {
    const { documentId, editor } = await documentWithEditor();
    expect((await archive(documentId, true)).status).toBe(200);
    const clara = connectClient(as(editor), documentId);
    const owner = connectClient(as(app.admin), documentId);
    await Promise.all([clara.synced(), owner.synced()]);
    const before = readOnlyDrops();
    clara.doc.getText('text').insert(0, 'Nachträglich.');
    owner.doc.getText('text').insert(0, 'Auch nicht.');
    expect(await eventually(() => readOnlyDrops() >= before + 2)).toBe(true);
    for (const client of [clara, owner]) client.destroy();
    const reader = connectClient(as(app.admin), documentId);
    await reader.synced();
    expect(textOf(reader)).toBe('');
    reader.destroy();
  });

  it('closes open writers with 4100, takes them back read-only, and restoring makes them writable', async () => {
    const { documentId, editor } = await documentWithEditor();
    const clara = connectClient(as(editor), documentId);
    const observer = connectClient(as(app.admin), documentId);
    await Promise.all([clara.synced(), observer.synced()]);
    clara.doc.getText('text').insert(0, 'Vorher. ');
    expect(await eventually(() => textOf(observer) === 'Vorher. ')).toBe(true);

    await archive(documentId, true);
    expect(await eventually(() => clara.closes.some((close) => close.code === 4100), 10_000)).toBe(true);
    // The stock client reconnects by itself, now read-only.
    expect(await eventually(() => clara.provider.wsconnected && clara.provider.synced, 20_000)).toBe(true);
    const before = readOnlyDrops();
    clara.doc.getText('text').insert(8, 'Archiviert. ');
    expect(await eventually(() => readOnlyDrops() > before)).toBe(true);
    await new Promise((done) => setTimeout(done, 200));
    expect(textOf(observer)).toBe('Vorher. ');

    await archive(documentId, false);
    // Writable again: what was dropped comes with the next connection's sync, new edits at once.
    const fresh = connectClient(as(editor), documentId);
    await fresh.synced();
    fresh.doc.getText('text').insert(0, 'Wieder offen. ');
    expect(await eventually(() => textOf(observer).startsWith('Wieder offen. '))).toBe(true);
    clara.provider.disconnect();
    clara.provider.connect();
    expect(await eventually(() => textOf(observer).includes('Archiviert. '), 5_000)).toBe(true);
    for (const client of [clara, observer, fresh]) client.destroy();
  });
});
