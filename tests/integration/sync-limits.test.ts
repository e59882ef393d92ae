import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  amplifyingSyncRequest,
  closeOf,
  connectClient,
  eventually,
  openRaw,
  type SyncTarget,
  tryUpgrade,
} from '../helpers/sync.ts';

// Issue 18, items 1 and 8 (and the last sentence of 9): what one connection, user and address
// may cost, and that dead connections go away.
// Long enough for a stock client on a busy machine to answer in time, short enough for a test.
const heartbeatMs = 1_500;
let app: TestApp;
let documentId: string;
beforeAll(async () => {
  app = await startTestApp({
    sync: { limits: { heartbeatMs } },
  });
  const room = (await app.admin.post('/api/rooms', { name: 'AG Grenzen' })).json.room;
  documentId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'N' })).json.document
    .id;
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});
const syncUrl = (path: string) => `${app.url.replace(/^http/, 'ws')}${path}`;
const headersOf = (client: { cookie: string | undefined }) => ({ origin: app.origin, cookie: client.cookie! });

describe('sync requests', () => {
  it('are answered once per interval however many arrive', async () => {
    const socket = await openRaw(as(app.admin), documentId);
    const replies: Uint8Array[] = [];
    socket.on('message', (data: Buffer) => {
      // messageSync, sync step 2
      if (data[0] === 0 && data[1] === 1) replies.push(data);
    });
    for (let i = 0; i < 200; i += 1) socket.send(amplifyingSyncRequest);
    await new Promise((done) => setTimeout(done, 1_500));
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(replies.length).toBeLessThanOrEqual(3);
    socket.terminate();
  });

  it('from a stock client that resyncs every 50 ms never close it', async () => {
    const resyncing = connectClient(as(app.admin), documentId, { resyncInterval: 50 });
    const observer = connectClient(as(app.admin), documentId);
    await observer.synced();
    await new Promise((done) => setTimeout(done, 1_500));
    resyncing.doc.getText('text').insert(0, 'noch da');
    expect(await eventually(() => observer.doc.getText('text').toString().includes('noch da'))).toBe(true);
    expect(resyncing.closes).toEqual([]);
    resyncing.destroy();
    observer.destroy();
  });
});

describe('the heartbeat', () => {
  it('drops a connection that answers no ping, and keeps a stock client', async () => {
    const stock = connectClient(as(app.admin), documentId);
    await stock.synced();
    const silent = new WebSocket(syncUrl(`/sync/${documentId}`), { headers: headersOf(app.admin), autoPong: false });
    await new Promise((done) => silent.once('open', done));
    const closed = closeOf(silent);
    expect(
      await Promise.race([closed.then(() => true), new Promise((d) => setTimeout(() => d(false), 4 * heartbeatMs))]),
    ).toBe(true);
    expect(stock.closes).toEqual([]);
    expect(stock.provider.wsconnected).toBe(true);
    stock.destroy();
  });
});

describe('connection caps', () => {
  let capped: TestApp;
  beforeAll(async () => {
    capped = await startTestApp({ sync: { limits: { maxConnectionsPerUser: 3, maxConnectionsPerAddress: 5 } } });
  });
  afterAll(() => capped.close());

  it('answer 429 before the upgrade beyond the connections of one user, and of one address', async () => {
    const app = capped;
    const syncUrl = (path: string) => `${app.url.replace(/^http/, 'ws')}${path}`;
    const headersOf = (client: { cookie: string | undefined }) => ({ origin: app.origin, cookie: client.cookie! });
    const as = (client: { cookie: string | undefined }): SyncTarget => ({
      url: app.url,
      origin: app.origin,
      cookie: client.cookie,
    });
    const user = await app.user('SH');
    const other = await app.user('MV');
    const room = (await app.admin.post('/api/rooms', { name: 'AG Viele' })).json.room;
    const id = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'V' })).json.document
      .id;
    for (const member of [user, other])
      await app.admin.put(`/api/rooms/${room.id}/members/${member.id}`, { role: 'viewer' });
    const open: WebSocket[] = [];
    for (let i = 0; i < 3; i += 1) open.push(await openRaw(as(user), id));
    expect(await tryUpgrade(syncUrl(`/sync/${id}`), headersOf(user))).toEqual({ status: 429 });
    // Another user from the same address still gets in, up to the address's cap.
    for (let i = 0; i < 2; i += 1) open.push(await openRaw(as(other), id));
    expect(await tryUpgrade(syncUrl(`/sync/${id}`), headersOf(other))).toEqual({ status: 429 });
    // A closed connection frees its place.
    const first = open.shift()!;
    const gone = closeOf(first);
    first.close();
    await gone;
    expect(
      await eventually(async () => {
        const result = await tryUpgrade(syncUrl(`/sync/${id}`), headersOf(user));
        if ('open' in result) open.push(result.open);
        return 'open' in result;
      }),
    ).toBe(true);
    for (const socket of open) socket.terminate();
  });
});

describe('upgrades that name no document', () => {
  it('answer 404 for /sync/ and /sync/<id>/', async () => {
    for (const path of ['/sync/', `/sync/${documentId}/`, '/sync'])
      expect(await tryUpgrade(syncUrl(path), headersOf(app.admin)), path).toEqual({ status: 404 });
  });
});
