import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ApiClient } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { type NordraumProcess, startNordraumProcess } from '../helpers/process.ts';
import { connectClient, eventually, type SyncClient, type SyncTarget, untilCommitted } from '../helpers/sync.ts';

const admin = { email: 'betrieb@dvz.example', password: 'Betriebspasswort 2026' };
const adminEnv = { NORDRAUM_ADMIN_EMAIL: admin.email, NORDRAUM_ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'info' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function documentOn(server: NordraumProcess) {
  const api = new ApiClient(server.url);
  await api.login(admin.email, admin.password);
  const room = (await api.post('/api/rooms', { name: 'AG Ausfallsicherheit' })).json.room;
  const document = (await api.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' })).json
    .document;
  return { api, documentId: document.id as string };
}

const target = (server: { url: string }, api: ApiClient): SyncTarget => ({
  url: server.url,
  origin: server.url,
  cookie: api.cookie,
});
const numbers = (client: SyncClient) => client.doc.getArray<number>('burst').toArray();

describe('on the embedded PostgreSQL', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nordraum-sync-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('closes sockets with 1012 on SIGTERM and keeps the content across a clean restart', async () => {
    const port = String(await freePort());
    const first = await startNordraumProcess({ ...adminEnv, DATA_DIR: dataDir, PORT: port });
    const { api, documentId } = await documentOn(first);
    const client = connectClient(target(first, api), documentId);
    await client.synced();
    client.doc.getText('text').insert(0, 'Ergebnis des Workshops in Schwerin');
    // A server stopped before it even read the edit could not keep it: wait until it is committed.
    await untilCommitted(target(first, api), documentId, client.doc);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await eventually(() => client.closes.length > 0)).toBe(true);
    expect(client.closes[0]!.code).toBe(1012);
    client.destroy();

    const second = await startNordraumProcess({ ...adminEnv, DATA_DIR: dataDir, PORT: port });
    const reader = connectClient(target(second, api), documentId);
    await reader.synced();
    expect(await eventually(() => reader.doc.getText('text').toString() === 'Ergebnis des Workshops in Schwerin')).toBe(
      true,
    );
    reader.destroy();
    await second.stop();
  });

  it('loses nothing when killed with -9 in the middle of a burst of 1,000 edits', async () => {
    const port = String(await freePort());
    const env = { ...adminEnv, DATA_DIR: dataDir, PORT: port };
    let server = await startNordraumProcess(env);
    const { api, documentId } = await documentOn(server);
    const writer = connectClient(target(server, api), documentId, { maxBackoffTime: 200 });
    const observer = connectClient(target(server, api), documentId, { maxBackoffTime: 200 });
    await Promise.all([writer.synced(), observer.synced()]);
    let seenAtKill: number[] | undefined;
    observer.provider.on('connection-close', () => {
      seenAtKill ??= numbers(observer);
    });

    const burst = (async () => {
      for (let i = 0; i < 1_000; i += 1) {
        writer.doc.getArray<number>('burst').push([i]);
        if (i % 10 === 9) await new Promise((done) => setTimeout(done, 5));
      }
    })();
    expect(await eventually(() => numbers(observer).length >= 300, 10_000)).toBe(true);
    await server.stop('SIGKILL');
    await burst;
    expect(await eventually(() => seenAtKill !== undefined)).toBe(true);
    expect(seenAtKill!.length).toBeGreaterThan(0);
    expect(seenAtKill!.length).toBeLessThan(1_000);

    server = await startNordraumProcess(env);
    // (a) Everything any other client had received before the kill is there after the restart.
    const fresh = connectClient(target(server, api), documentId);
    await fresh.synced();
    await new Promise((done) => setTimeout(done, 300));
    const afterRestart = new Set(numbers(fresh));
    expect(seenAtKill!.filter((n) => !afterRestart.has(n))).toEqual([]);
    // (b) Once the writer has reconnected, all 1,000 are there.
    expect(await eventually(() => new Set(numbers(fresh)).size === 1_000, 20_000)).toBe(true);
    for (const client of [writer, observer, fresh]) client.destroy();
    await server.stop();
  }, 90_000);
});

describe('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('converge across instances, and the clients of a killed one carry on at the other without loss', async () => {
    const env = { ...adminEnv, DATABASE_URL: database.url, DATA_DIR: join(tmpdir(), 'unused') };
    const [a, b] = await Promise.all([startNordraumProcess(env), startNordraumProcess(env)]);
    const { api, documentId } = await documentOn(a);
    const onA = [connectClient(target(a, api), documentId), connectClient(target(a, api), documentId)];
    const onB = [connectClient(target(b, api), documentId), connectClient(target(b, api), documentId)];
    const all = [...onA, ...onB];
    await Promise.all(all.map((client) => client.synced()));
    all.forEach((client, index) => {
      for (let i = 0; i < 25; i += 1) client.doc.getArray<string>('items').push([`${index}:${i}`]);
    });
    const converged = (clients: SyncClient[], length: number) => () => {
      const states = clients.map((client) => JSON.stringify(client.doc.getArray('items').toJSON()));
      return states.every((state) => state === states[0]) && clients[0]!.doc.getArray('items').length === length;
    };
    expect(await eventually(converged(all, 100), 10_000)).toBe(true);

    await a.stop('SIGKILL');
    // Edits made while the instance is gone stay in the client until it reconnects elsewhere.
    onA[0]!.doc.getArray<string>('items').push(['offline on A']);
    const moved = onA.map((client) => {
      client.destroy();
      return connectClient(target(b, api), documentId, { doc: client.doc as Y.Doc });
    });
    const survivors = [...moved, ...onB];
    expect(await eventually(converged(survivors, 101), 10_000)).toBe(true);
    expect(onB[0]!.doc.getArray('items').toArray()).toContain('offline on A');
    for (const client of survivors) client.destroy();
    await b.stop();
  }, 60_000);
});
