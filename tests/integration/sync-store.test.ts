import { createPostgresStore } from '@nordraum/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { compactAfter: 50, unloadDelayMs: 100 } });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

async function newDocument() {
  const room = (await app.admin.post('/api/rooms', { name: 'AG Speicher' })).json.room;
  return (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'N' })).json.document
    .id as string;
}

async function counts(documentId: string) {
  const { rows } = await app.database.db.execute(
    sql`select (select count(*)::int from doc_update where document_id = ${documentId}) as log,
               (select seq::int from doc_snapshot where document_id = ${documentId}) as snapshot`,
  );
  return rows[0] as { log: number; snapshot: number | null };
}

describe('the update log', () => {
  it('is compacted into a snapshot as it grows, and a cold load still has everything', async () => {
    const documentId = await newDocument();
    const writer = connectClient(as(app.admin), documentId);
    await writer.synced();
    for (let i = 0; i < 120; i += 1) writer.doc.getArray<number>('n').push([i]);
    expect(await eventually(async () => (await counts(documentId)).snapshot !== null)).toBe(true);
    writer.destroy();
    expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId))).toBe(true);
    const after = await counts(documentId);
    expect(after.log).toBeLessThan(50);
    expect(after.snapshot).toBeGreaterThanOrEqual(50);
    const reader = connectClient(as(app.admin), documentId);
    await reader.synced();
    expect(await eventually(() => reader.doc.getArray('n').length === 120)).toBe(true);
    reader.destroy();
  });

  it('never loses an append that races a compaction', async () => {
    const documentId = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'race' });
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 400; i += 1) source.getArray<number>('n').push([i]);
    const appends = updates.map((update, index) =>
      new Promise((done) => setTimeout(done, index % 40)).then(() => store.append(documentId, update, null)),
    );
    const compactions = Array.from({ length: 10 }, (_, index) =>
      new Promise((done) => setTimeout(done, index * 5)).then(() => store.compact(documentId)),
    );
    await Promise.all([...appends, ...compactions]);
    await store.compact(documentId);
    const stored = await store.load(documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const { update } of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getArray('n').length).toBe(400);
    expect(stored.lastSeq).toBe(400);
  });
});

describe('a second instance on the same database', () => {
  it('repairs what it missed while its listener was reconnecting, from the log', async () => {
    const other = await startTestApp({ database: app.database, sync: {} });
    try {
      const documentId = await newDocument();
      const onFirst = connectClient(as(app.admin), documentId);
      const onOther = connectClient({ url: other.url, origin: other.origin, cookie: app.admin.cookie }, documentId);
      await Promise.all([onFirst.synced(), onOther.synced()]);
      await app.database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${`nordraum-listen-${other.sync!.instanceId}`}`,
      );
      for (let i = 0; i < 20; i += 1) onFirst.doc.getArray<number>('n').push([i]);
      expect(await eventually(() => onOther.doc.getArray('n').length === 20, 10_000)).toBe(true);
      onFirst.destroy();
      onOther.destroy();
    } finally {
      await other.close();
    }
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const name of [
      'nordraum_sync_connections',
      'nordraum_sync_documents_loaded',
      'nordraum_sync_updates_received_total',
      'nordraum_sync_updates_broadcast_total',
      'nordraum_sync_updates_rejected_total',
      'nordraum_sync_persist_batch_seconds_bucket',
      'nordraum_sync_compactions_total',
      'nordraum_sync_notify_lag_seconds_count',
    ]) {
      expect(text).toContain(name);
    }
    expect(Number(text.match(/^nordraum_sync_compactions_total (\d+)/m)?.[1])).toBeGreaterThan(0);
  });
});
