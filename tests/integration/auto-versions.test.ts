import { docOf, notesText } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutoVersioner } from '../../apps/server/src/auto-versions.ts';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
});
afterAll(() => app.close());

const silent = { warn: () => {} };
const target = (): SyncTarget => ({ url: app.url, origin: app.origin, cookie: app.admin.cookie });

async function notesWith(lines: string[]) {
  const room = (await app.admin.post('/api/rooms', { name: 'AG Automatik' })).json.room;
  const documentId: string = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'P' }))
    .json.document.id;
  const client = connectClient(target(), documentId);
  await client.synced();
  writeParagraphs(client.doc, lines);
  // One update, so the first log entry is all of it; a loaded machine may take seconds to commit.
  if (!(await eventually(async () => (await seqOf(documentId)) > 0, 20_000)))
    throw new Error('the paragraphs were not committed');
  return { documentId, client };
}

async function seqOf(documentId: string): Promise<number> {
  const { rows } = await app.database.pool.query('select update_seq from document where id = $1', [documentId]);
  return Number(rows[0].update_seq);
}

async function versionsOf(documentId: string) {
  const { rows } = await app.database.pool.query(
    `select id, kind, name, seq, created_at from doc_version where document_id = $1 order by created_at`,
    [documentId],
  );
  return rows as { id: string; kind: string; name: string | null; seq: string; created_at: Date }[];
}

/**
 * Stores a version as if it had been kept long ago: `minutes` into the hour (`unit` hour) or into
 * the day (`unit` day, UTC) that began `ago` before now, so that two of them share that hour or day.
 */
async function agedVersion(
  documentId: string,
  kind: 'auto' | 'manual',
  seq: number,
  at: { ago: string; unit: 'hour' | 'day'; minutes: number },
) {
  const { rows } = await app.database.pool.query(
    `insert into doc_version (document_id, kind, name, seq, state, bytes, created_at)
     values ($1, $2, $3, $4, '\\x0000', 2,
             date_trunc($5, now() - $6::interval, 'UTC') + make_interval(mins => $7)) returning id`,
    [documentId, kind, kind === 'manual' ? 'Alt, aber benannt' : null, seq, at.unit, at.ago, at.minutes],
  );
  return rows[0].id as string;
}

describe('automatic versions', () => {
  it('appear once a document has been quiet, hold its state, and are not repeated without edits', async () => {
    const { documentId, client } = await notesWith(['Workshop Kiel', 'Ergebnisse']);
    const versioner = createAutoVersioner({
      db: app.database.db,
      sync: app.sync!,
      log: silent,
      quietMs: 1_500,
      intervalMs: 50,
    });
    // Still within the quiet period: nothing yet.
    expect(await versioner.runOnce()).toBe(0);
    versioner.start();
    expect(await eventually(async () => (await versionsOf(documentId)).length === 1, 10_000)).toBe(true);
    await versioner.stop();

    const [version] = await versionsOf(documentId);
    expect(version).toMatchObject({ kind: 'auto', name: null });
    expect(Number(version!.seq)).toBe(await seqOf(documentId));
    const listed = (await app.admin.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(listed).toEqual([expect.objectContaining({ id: version!.id, kind: 'auto', createdBy: null, name: null })]);
    const state = await fetch(`${app.url}/api/documents/${documentId}/versions/${version!.id}/state`, {
      headers: { cookie: app.admin.cookie ?? '' },
    });
    expect(notesText(docOf(new Uint8Array(await state.arrayBuffer())))).toBe('Workshop Kiel\nErgebnisse');
    expect(await versioner.runOnce()).toBe(0);
    client.destroy();
  });

  it('are thinned by age: all of the last day, one an hour for a week, one a day after; never named ones', async () => {
    const { documentId, client } = await notesWith(['Erster Stand']);
    const twoDays = [
      await agedVersion(documentId, 'auto', 101, { ago: '48 hours', unit: 'hour', minutes: 10 }),
      await agedVersion(documentId, 'auto', 102, { ago: '48 hours', unit: 'hour', minutes: 20 }),
    ];
    const tenDays = [
      await agedVersion(documentId, 'auto', 103, { ago: '10 days', unit: 'day', minutes: 60 }),
      await agedVersion(documentId, 'auto', 104, { ago: '10 days', unit: 'day', minutes: 120 }),
    ];
    const yesterday = await agedVersion(documentId, 'auto', 105, { ago: '20 hours', unit: 'hour', minutes: 0 });
    const named = [
      await agedVersion(documentId, 'manual', 106, { ago: '30 days', unit: 'day', minutes: 0 }),
      await agedVersion(documentId, 'manual', 107, { ago: '30 days', unit: 'day', minutes: 1 }),
    ];
    // The aged rows claim later log positions than the document has: make it newer than them.
    for (let i = 0; i < 110; i += 1) writeParagraphs(client.doc, [`Stand ${i}`]);
    expect(await eventually(async () => (await seqOf(documentId)) > 107, 10_000)).toBe(true);

    const versioner = createAutoVersioner({ db: app.database.db, sync: app.sync!, log: silent, quietMs: 200 });
    expect(await eventually(async () => (await versioner.runOnce()) === 1, 10_000)).toBe(true);

    const left = new Set((await versionsOf(documentId)).map((version) => version.id));
    // Within an hour (two days ago) and within a day (ten days ago) only the newer stays.
    expect([twoDays, tenDays].map((pair) => pair.map((id) => left.has(id)))).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(left.has(yesterday)).toBe(true);
    expect(named.every((id) => left.has(id))).toBe(true);
    expect(left.size).toBe(6);
    client.destroy();
  });

  it('once thinned, are not found on any instance, though an instance had compared them before', async () => {
    const other = await startTestApp({ database: app.database, sync: {} });
    const { documentId, client } = await notesWith(['Stand vor dem Ausdünnen']);
    const hour = { ago: '48 hours', unit: 'hour' as const };
    const older = await agedVersion(documentId, 'auto', 1, { ...hour, minutes: 10 });
    const newer = await agedVersion(documentId, 'auto', 2, { ...hour, minutes: 20 });
    // The document is edited after them: a version is due, and with it the thinning.
    for (const line of ['Zweiter Stand', 'Dritter Stand']) writeParagraphs(client.doc, [line]);
    expect(await eventually(async () => (await seqOf(documentId)) > 2, 10_000)).toBe(true);
    // Both instances have read the older version for a comparison, and keep its reading.
    const compare = (url: string) =>
      fetch(`${url}/api/documents/${documentId}/versions/${older}/changes?against=${newer}`, {
        headers: { cookie: app.admin.cookie ?? '' },
      }).then((response) => response.status);
    expect(await compare(app.url)).toBe(200);
    expect(await compare(other.url)).toBe(200);

    // Thinned by this instance's job: two in one hour two days ago, the newer stays.
    const versioner = createAutoVersioner({ db: app.database.db, sync: app.sync!, log: silent, quietMs: 200 });
    expect(await eventually(async () => (await versioner.runOnce()) === 1, 10_000)).toBe(true);
    expect((await versionsOf(documentId)).map((version) => version.id)).not.toContain(older);

    expect(await compare(app.url)).toBe(404);
    expect(await compare(other.url)).toBe(404);
    client.destroy();
    await other.close();
  });

  it('are written once by two instances on one database', async () => {
    const other = await startTestApp({ database: app.database, sync: {} });
    const { documentId, client } = await notesWith(['Gemeinsamer Stand']);
    client.destroy();
    // Both instances get past "is a version due?" before either writes: the database must decide.
    let arrived = 0;
    let release: () => void = () => {};
    const bothArrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = (sync: SyncServer): SyncServer => ({
      ...sync,
      async versionState(id: string) {
        arrived += 1;
        if (arrived === 2) release();
        await bothArrived;
        return sync.versionState(id);
      },
    });
    const options = { db: app.database.db, log: silent, quietMs: 200 };
    const instances = [
      createAutoVersioner({ ...options, sync: held(app.sync!) }),
      createAutoVersioner({ ...options, sync: held(other.sync!) }),
    ];
    expect(
      await eventually(async () => (await versionsOf(documentId)).length === 0 && (await quiet(documentId)), 20_000),
    ).toBe(true);
    const written = await Promise.all(instances.map((versioner) => versioner.runOnce()));

    expect(arrived).toBe(2);
    expect(written.reduce((a, b) => a + b)).toBe(1);
    expect((await versionsOf(documentId)).length).toBe(1);
    await other.close();
  });
});

async function quiet(documentId: string): Promise<boolean> {
  const { rows } = await app.database.pool.query(
    `select updated_at < now() - interval '300 milliseconds' as quiet from document where id = $1`,
    [documentId],
  );
  return rows[0].quiet;
}
