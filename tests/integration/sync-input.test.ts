import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { closeOf, connectClient, eventually, openRaw, type SyncTarget } from '../helpers/sync.ts';

const maxMessageBytes = 256 * 1024;
let app: TestApp;
let documentId: string;
const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

beforeAll(async () => {
  app = await startTestApp({ sync: { maxMessageBytes, throttle: { perSecond: 100, burst: 100 } } });
  const room = (await app.admin.post('/api/rooms', { name: 'AG Eingaben' })).json.room;
  documentId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'N' })).json.document
    .id;
});
afterAll(() => app.close());

function message(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  }
  return encoding.toUint8Array(encoder);
}

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function awarenessWithState(json: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 424242);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, json);
  return message(1, encoding.toUint8Array(encoder));
}

async function sendAndClose(frame: Uint8Array | string) {
  const socket: WebSocket = await openRaw(as(app.admin), documentId);
  const closed = closeOf(socket);
  socket.send(frame);
  return closed;
}

describe('bad input closes that one connection, with a code from the table', () => {
  const cases: [string, () => Uint8Array | string, number][] = [
    ['a text frame', () => 'hallo', 1003],
    ['an unknown message type', () => message(7), 1003],
    ['an unknown sync message', () => message(0, 9), 1003],
    [
      'a frame that does not decode',
      () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      1007,
    ],
    ['an empty frame', () => new Uint8Array(0), 1007],
    ['a truncated Yjs update', () => message(0, 2, validUpdate('abgeschnitten').slice(0, 12)), 1007],
    ['garbage as a Yjs update', () => message(0, 2, new Uint8Array([3, 250, 1, 2, 3, 4, 5, 6, 7])), 1007],
    ['a malformed awareness update', () => message(1, new Uint8Array([5, 1])), 1007],
    ['awareness that is not JSON', () => awarenessWithState('{not json'), 1007],
    [
      'an awareness state over its limit',
      () => awarenessWithState(JSON.stringify({ user: { name: 'x'.repeat(70_000) } })),
      1009,
    ],
    ['a frame over the size limit', () => message(0, 2, new Uint8Array(maxMessageBytes + 10)), 1009],
  ];

  for (const [name, frame, code] of cases) {
    it(`closes with ${code} for ${name}`, async () => {
      expect((await sendAndClose(frame())).code).toBe(code);
    });
  }

  it('leaves the document and the other connections untouched', async () => {
    const writer = connectClient(as(app.admin), documentId);
    const reader = connectClient(as(app.admin), documentId);
    await Promise.all([writer.synced(), reader.synced()]);
    writer.doc.getText('text').insert(0, 'Bleibt. ');
    expect(await eventually(() => reader.doc.getText('text').toString() === 'Bleibt. ')).toBe(true);
    for (const [, frame] of cases) await sendAndClose(frame());
    writer.doc.getText('text').insert(8, 'Weiter.');
    expect(await eventually(() => reader.doc.getText('text').toString() === 'Bleibt. Weiter.')).toBe(true);
    expect(writer.closes).toEqual([]);
    expect(reader.closes).toEqual([]);
    writer.destroy();
    reader.destroy();
  });
});

describe('a flooding connection', () => {
  it('is throttled, loses nothing, and another room carries on', async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Ruhig' })).json.room;
    const quietId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Ruhig' })).json
      .document.id;
    const flooder = connectClient(as(app.admin), documentId);
    const watcher = connectClient(as(app.admin), documentId);
    const quietA = connectClient(as(app.admin), quietId);
    const quietB = connectClient(as(app.admin), quietId);
    await Promise.all([flooder, watcher, quietA, quietB].map((client) => client.synced()));
    const throttledBefore = app.sync!.metrics.throttled;
    for (let i = 0; i < 600; i += 1) flooder.doc.getArray<number>('flood').push([i]);
    quietA.doc.getText('text').insert(0, 'ruhig');
    expect(await eventually(() => quietB.doc.getText('text').toString() === 'ruhig')).toBe(true);
    expect(await eventually(() => watcher.doc.getArray('flood').length === 600, 20_000)).toBe(true);
    expect(app.sync!.metrics.throttled).toBeGreaterThan(throttledBefore);
    for (const client of [flooder, watcher, quietA, quietB]) client.destroy();
  });
});
