import { createPostgresStore } from '@nordraum/sync';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { authenticatedWebSocket, connectClient, eventually, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
let idle = 0;
beforeAll(async () => {
  const onIdle = () => {
    idle += 1;
  };
  app = await startTestApp({ sync: { compactAfter: 50, unloadDelayMs: 100, onIdle } });
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
    const idleBefore = idle;
    writer.destroy();
    expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId))).toBe(true);
    expect(await eventually(() => idle > idleBefore)).toBe(true);
    const after = await counts(documentId);
    expect(after.log).toBeLessThan(50);
    expect(after.snapshot).toBeGreaterThanOrEqual(50);
    const reader = connectClient(as(app.admin), documentId);
    await reader.synced();
    expect(await eventually(() => reader.doc.getArray('n').length === 120)).toBe(true);
    reader.destroy();
  });

  it('lets the log of a big document grow to one entry per KiB of its snapshot before compacting it', async () => {
    const documentId = await newDocument();
    const first = connectClient(as(app.admin), documentId);
    await first.synced();
    first.doc.getText('t').insert(0, 'Protokoll. '.repeat(20_000));
    expect(await eventually(async () => (await counts(documentId)).log === 1)).toBe(true);
    first.destroy();
    // Unloaded and compacted: the document loads again as a snapshot of about 220 KB.
    expect(await eventually(async () => (await counts(documentId)).snapshot !== null)).toBe(true);
    expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId))).toBe(true);
    const writer = connectClient(as(app.admin), documentId);
    await writer.synced();
    const compactions = app.sync!.metrics.compactions;
    // 260 entries: far more than compactAfter (50); one per KiB of the snapshot is about 215.
    for (let i = 0; i < 260; i += 1) writer.doc.getArray<number>('n').push([i]);
    expect(await eventually(() => app.sync!.metrics.compactions > compactions)).toBe(true);
    // The first compaction came after 200 entries (seq 1 is the first session's), not after 50.
    expect((await counts(documentId)).snapshot).toBeGreaterThan(200);
    // Every entry committed (in the log or under the snapshot), and no second compaction.
    const committed = async () => {
      const { log, snapshot } = await counts(documentId);
      return log + snapshot! === 261;
    };
    expect(await eventually(committed)).toBe(true);
    expect(app.sync!.metrics.compactions).toBe(compactions + 1);
    writer.destroy();
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
    await store.close();
    const stored = await store.load(documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const { update } of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getArray('n').length).toBe(400);
    expect(stored.lastSeq).toBe(400);
  });

  it('numbers one batch of several documents per document, and refuses only a deleted one', async () => {
    const [first, second, gone] = [await newDocument(), await newDocument(), await newDocument()];
    await app.database.db.execute(sql`delete from document where id = ${gone}`);
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'batch' });
    const update = (text: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    };
    // Appended in one turn of the event loop: one group commit.
    const results = await Promise.allSettled([
      store.append(first, update('a'), null),
      store.append(second, update('b'), null),
      store.append(first, update('c'), app.admin.id),
      store.append(gone, update('d'), null),
      store.append(second, update('e'), null),
    ]);
    await store.close();
    const seqs = results.map((result) => (result.status === 'fulfilled' ? result.value.seq : 'refused'));
    expect(seqs).toEqual([1, 1, 2, 'refused', 2]);
    const { rows } = await app.database.db.execute(
      sql`select document_id, seq::int as seq, user_id from doc_update where document_id in (${first}, ${second})`,
    );
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row.document_id === first && row.seq === 2)?.user_id).toBe(app.admin.id);
  });

  it('numbers single updates and batches alike when it announces nothing', async () => {
    const [documentId, gone] = [await newDocument(), await newDocument()];
    await app.database.db.execute(sql`delete from document where id = ${gone}`);
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'quiet', announce: false });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 5; i += 1) doc.getArray<number>('n').push([i]);
    // One at a time (a batch of one each), then two in one turn (one batch), then one again.
    expect(await store.append(documentId, updates[0]!, app.admin.id)).toEqual({ seq: 1 });
    expect(await store.append(documentId, updates[1]!, null)).toEqual({ seq: 2 });
    expect(
      await Promise.all([store.append(documentId, updates[2]!, null), store.append(documentId, updates[3]!, null)]),
    ).toEqual([{ seq: 3 }, { seq: 4 }]);
    expect(await store.append(documentId, updates[4]!, null)).toEqual({ seq: 5 });
    await expect(store.append(gone, updates[0]!, null)).rejects.toThrow(/no longer exists/);
    await store.close();
    const stored = await store.load(documentId);
    expect(stored.updates.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    const copy = new Y.Doc();
    for (const { update } of stored.updates) Y.applyUpdate(copy, update);
    expect(copy.getArray('n').toArray()).toEqual([0, 1, 2, 3, 4]);
    const { rows } = await app.database.db.execute(
      sql`select user_id from doc_update where document_id = ${documentId} and seq = 1`,
    );
    expect(rows[0]?.user_id).toBe(app.admin.id);
  });

  it('refuses a single update the database rejects, and appends the next ones', async () => {
    const documentId = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'single', announce: false });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 3; i += 1) doc.getArray<number>('n').push([i]);
    try {
      expect(await store.append(documentId, updates[0]!, app.admin.id)).toEqual({ seq: 1 });
      // Not a user id: the database refuses the statement (an error, then ready for the next).
      await expect(store.append(documentId, updates[1]!, 'not a user')).rejects.toThrow(/uuid/);
      expect(await store.append(documentId, updates[1]!, null)).toEqual({ seq: 2 });
      expect(await store.append(documentId, updates[2]!, app.admin.id)).toEqual({ seq: 3 });
    } finally {
      await store.close();
    }
    const stored = await store.load(documentId);
    const copy = new Y.Doc();
    for (const { update } of stored.updates) Y.applyUpdate(copy, update);
    expect(copy.getArray('n').toArray()).toEqual([0, 1, 2]);
  });

  it('announces its commits to other instances, unless told there are none', async () => {
    const heard: string[] = [];
    const listener = new pg.Client({ connectionString: app.database.url });
    await listener.connect();
    listener.on('notification', (message) => {
      if (message.channel === 'nordraum_doc') heard.push(message.payload ?? '');
    });
    await listener.query('LISTEN nordraum_doc');
    const [alone, shared] = [await newDocument(), await newDocument()];
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'Notiz');
    const update = Y.encodeStateAsUpdate(doc);
    const quiet = createPostgresStore({ pool: app.database.pool, instanceId: 'alone', announce: false });
    const loud = createPostgresStore({ pool: app.database.pool, instanceId: 'shared' });
    expect(await quiet.append(alone, update, null)).toEqual({ seq: 1 });
    expect(await loud.append(shared, update, null)).toEqual({ seq: 1 });
    await Promise.all([quiet.close(), loud.close()]);
    expect(await eventually(() => heard.some((payload) => payload.includes(shared)))).toBe(true);
    // Notifications arrive in commit order: the quiet one would be here by now.
    expect(heard.filter((payload) => payload.includes(alone))).toEqual([]);
    expect((await counts(alone)).log).toBe(1);
    await listener.end();
  });

  it('commits a flood of tiny updates to one document without failing the others in the batch', async () => {
    const flooded = await newDocument();
    const bystander = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'flood' });
    try {
      // Four bytes each: inlined into the announcement, their base64 is twice as long.
      const tiny = Uint8Array.from([0, 1, 5, 0]);
      const appends = Array.from({ length: 1_000 }, () => store.append(flooded, tiny, null));
      const other = store.append(bystander, tiny, null);
      const seqs = (await Promise.all(appends)).map((appended) => appended.seq);
      expect(seqs).toEqual(Array.from({ length: 1_000 }, (_, index) => index + 1));
      expect((await other).seq).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('opens its append connection again after PostgreSQL ended it', async () => {
    const documentId = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'reopen' });
    const update = () => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'x');
      return Y.encodeStateAsUpdate(doc);
    };
    expect((await store.append(documentId, update(), null)).seq).toBe(1);
    const { rows } = await app.database.db.execute(
      sql`select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = 'nordraum-append-reopen'`,
    );
    expect(rows).toEqual([{ ended: true }]);
    // The append that meets the dead connection may fail (its client sends it again); the
    // next ones go through a new connection.
    await store.append(documentId, update(), null).catch(() => undefined);
    const { seq } = await store.append(documentId, update(), null);
    expect(seq).toBeGreaterThanOrEqual(2);
    await store.close();
    await expect(store.append(documentId, update(), null)).rejects.toThrow(/closed/);
  });
});

describe('two batches committing at once', () => {
  const update = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };
  /** Append connections of an instance waiting for a lock. */
  async function waitingForLock(instanceId: string) {
    const { rows } = await app.database.db.execute(
      sql`select count(*)::int as n from pg_stat_activity
        where application_name like ${`nordraum-append-${instanceId}%`} and wait_event_type = 'Lock'`,
    );
    return (rows[0] as { n: number }).n;
  }
  async function stored(documentId: string) {
    const { rows } = await app.database.db.execute(
      sql`select seq::int, "update" from doc_update where document_id = ${documentId} order by seq`,
    );
    return (rows as { seq: number; update: Buffer }[]).map((row) => ({
      seq: row.seq,
      update: new Uint8Array(row.update),
    }));
  }
  /** Holds the row lock of a document (which every append to it takes) until `release`. */
  async function lockDocument(documentId: string) {
    const locker = new pg.Client({ connectionString: app.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM "document" WHERE id = $1 FOR UPDATE', [documentId]);
    return async () => {
      await locker.query('COMMIT');
      await locker.end();
    };
  }

  it('commits a second batch while the first still waits, and hands them on in the order they started', async () => {
    const slow = await newDocument();
    const quick = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'pipeline', maxInFlight: 2 });
    const [a, b, c] = [update('a'), update('b'), update('c')];
    const release = await lockDocument(slow);
    try {
      const handedOn: string[] = [];
      const track = (name: string, appending: Promise<{ seq: number }>) =>
        appending.then((appended) => {
          handedOn.push(`${name}:${appended.seq}`);
          return appended.seq;
        });
      const first = track('slow', store.append(slow, a, null));
      expect(await eventually(async () => (await waitingForLock('pipeline')) === 1)).toBe(true);
      const second = track('quick', store.append(quick, b, null));
      // Durable while the first batch still waits for the row lock (one commit at a time would
      // not even have started it) ...
      expect(await eventually(async () => (await counts(quick)).log === 1)).toBe(true);
      // ... and its connection free again: the next batch waits behind the first for the lock.
      const third = track('slow', store.append(slow, c, null));
      expect(await eventually(async () => (await waitingForLock('pipeline')) === 2)).toBe(true);
      // Nothing is handed on before the first batch: its entries come first.
      expect(handedOn).toEqual([]);
      await release();
      expect(await Promise.all([first, second, third])).toEqual([1, 1, 2]);
      expect(handedOn).toEqual(['slow:1', 'quick:1', 'slow:2']);
      expect(await stored(slow)).toEqual([
        { seq: 1, update: a },
        { seq: 2, update: c },
      ]);
    } finally {
      await store.close();
    }
  });

  it('keeps the other batch, once and in order, when one of two in flight fails', async () => {
    const documentId = await newDocument();
    const store = createPostgresStore({ pool: app.database.pool, instanceId: 'pipefail', maxInFlight: 2 });
    const [a, b, c] = [update('a'), update('b'), update('c')];
    const release = await lockDocument(documentId);
    try {
      const first = store.append(documentId, a, null);
      // It fails while the test still waits for the termination's answer: handled from the start,
      // so the rejection is not reported as unhandled before the assertion below takes it.
      first.catch(() => {});
      expect(await eventually(async () => (await waitingForLock('pipefail')) === 1)).toBe(true);
      const second = store.append(documentId, b, null);
      expect(await eventually(async () => (await waitingForLock('pipefail')) === 2)).toBe(true);
      // The first batch's connection ends while it waits: that transaction never commits.
      const { rows } = await app.database.db.execute(
        sql`select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = 'nordraum-append-pipefail'`,
      );
      expect(rows).toEqual([{ ended: true }]);
      await expect(first).rejects.toThrow();
      await release();
      // The second takes the first position, exactly once; the next append follows it.
      expect((await second).seq).toBe(1);
      expect((await store.append(documentId, c, null)).seq).toBe(2);
      expect(await stored(documentId)).toEqual([
        { seq: 1, update: b },
        { seq: 2, update: c },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('a document whose only connection closed while it loaded', () => {
  it('unloads all the same', async () => {
    const documentId = await newDocument();
    const locker = new pg.Client({ connectionString: app.database.url });
    await locker.connect();
    try {
      // The load reads the snapshot table: held up until this transaction ends.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE doc_snapshot IN ACCESS EXCLUSIVE MODE');
      const before = app.sync!.metrics.connections;
      const Socket = authenticatedWebSocket(as(app.admin));
      const socket = new Socket(`${app.url.replace(/^http/, 'ws')}/sync/${documentId}`);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.close();
      expect(await eventually(() => app.sync!.metrics.connections <= before)).toBe(true);
      await locker.query('COMMIT');
      expect(await eventually(() => app.sync!.loadedDocuments().includes(documentId), 10_000)).toBe(true);
      expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId), 20_000)).toBe(true);
    } finally {
      await locker.end();
    }
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

  it('repairs from the snapshot what it missed and another instance already compacted', async () => {
    const documentId = await newDocument();
    const writer = connectClient(as(app.admin), documentId);
    await writer.synced();
    writer.doc.getArray<string>('n').push(['hier']);
    expect(await eventually(async () => (await counts(documentId)).log === 1)).toBe(true);

    // Another instance commits two edits this one never hears of (it announces nothing), and
    // folds them into the snapshot: they are no longer in the log.
    const elsewhere = createPostgresStore({ pool: app.database.pool, instanceId: 'elsewhere', announce: false });
    const side = new Y.Doc();
    Y.applyUpdate(side, Y.encodeStateAsUpdate(writer.doc));
    const updates: Uint8Array[] = [];
    side.on('update', (update: Uint8Array) => updates.push(update));
    side.getArray<string>('n').push(['dort 1']);
    side.getArray<string>('n').push(['dort 2']);
    for (const update of updates) await elsewhere.append(documentId, update, null);
    expect(await elsewhere.compact(documentId)).toBe(true);
    await elsewhere.close();
    expect(await counts(documentId)).toEqual({ log: 0, snapshot: 3 });

    // The next edit here lands after a gap; the repair finds the missing entries in the snapshot.
    writer.doc.getArray<string>('n').push(['wieder hier']);
    const all = ['hier', 'dort 1', 'dort 2', 'wieder hier'];
    expect(await eventually(() => writer.doc.getArray('n').length === 4, 5_000)).toBe(true);
    expect(writer.doc.getArray<string>('n').toArray().sort()).toEqual([...all].sort());
    const loaded = await app.sync!.readDocument(documentId, (doc) => doc.getArray<string>('n').toArray());
    expect(loaded.sort()).toEqual([...all].sort());
    writer.destroy();
  });

  it('applies an edit announced while it was still loading the document', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding: string | undefined;
    const loadStarted = Promise.withResolvers<void>();
    const other = await startTestApp({
      database: app.database,
      sync: {
        // The load reads the database as always; its answer is held back until the test says so.
        store: (store) => ({
          ...store,
          async load(documentId) {
            const stored = await store.load(documentId);
            if (documentId === holding) {
              loadStarted.resolve();
              await held;
            }
            return stored;
          },
        }),
      },
    });
    try {
      const documentId = await newDocument();
      // A second document, loaded on both: its announcements show what the other instance heard.
      const signal = await newDocument();
      const signalHere = connectClient(as(app.admin), signal);
      const signalThere = connectClient({ url: other.url, origin: other.origin, cookie: app.admin.cookie }, signal);
      await Promise.all([signalHere.synced(), signalThere.synced()]);
      holding = documentId;
      const onFirst = connectClient(as(app.admin), documentId);
      await onFirst.synced();
      const onOther = connectClient({ url: other.url, origin: other.origin, cookie: app.admin.cookie }, documentId);
      await loadStarted.promise;
      // Committed and announced while the other instance holds a load that did not see it.
      onFirst.doc.getArray<string>('n').push(['während des Ladens']);
      expect(await eventually(async () => (await counts(documentId)).log === 1)).toBe(true);
      // Announcements arrive in the order of their commits: once the other instance has applied
      // an edit committed after it, it has heard this one (while the load is still held).
      signalHere.doc.getArray<string>('n').push(['danach']);
      expect(await eventually(() => signalThere.doc.getArray('n').length === 1, 5_000)).toBe(true);
      release();
      await onOther.synced();
      expect(await eventually(() => onOther.doc.getArray('n').length === 1, 5_000)).toBe(true);
      for (const client of [onFirst, onOther, signalHere, signalThere]) client.destroy();
    } finally {
      release();
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
      'nordraum_sync_persist_batches_overlapped_total',
      'nordraum_sync_compactions_total',
      'nordraum_sync_notify_lag_seconds_count',
    ]) {
      expect(text).toContain(name);
    }
    expect(Number(text.match(/^nordraum_sync_compactions_total (\d+)/m)?.[1])).toBeGreaterThan(0);
  });
});
