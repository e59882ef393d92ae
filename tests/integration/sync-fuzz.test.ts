import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, openRaw, type SyncTarget } from '../helpers/sync.ts';

// A seeded generator, so a failure can be replayed with the seed it prints.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Valid frames of every message type, as material for mutation. */
function validFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  const sync = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    write(encoder);
    frames.push(encoding.toUint8Array(encoder));
  };
  sync((encoder) => syncProtocol.writeSyncStep1(encoder, doc));
  doc.getMap('fuzz').set('key', 'Wert äöü');
  doc.getArray('fuzz-list').push([1, 'zwei', { drei: 3 }]);
  sync((encoder) => syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc)));
  sync((encoder) => syncProtocol.writeSyncStep2(encoder, doc, new Uint8Array([0])));
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: 'Fuzz' }, cursor: { anchor: 1, head: 2 } });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [doc.clientID]));
  frames.push(encoding.toUint8Array(encoder), new Uint8Array([3]));
  awareness.destroy();
  return frames;
}

function mutate(frame: Uint8Array, next: () => number): Uint8Array {
  const bytes = [...frame];
  const mutations = 1 + Math.floor(next() * 4);
  for (let i = 0; i < mutations; i += 1) {
    const at = Math.floor(next() * Math.max(bytes.length, 1));
    const kind = Math.floor(next() * 5);
    if (kind === 0 && bytes.length > 0) bytes[at] = Math.floor(next() * 256);
    else if (kind === 1) bytes.splice(at, 0, Math.floor(next() * 256));
    else if (kind === 2) bytes.splice(at, 1);
    else if (kind === 3) bytes.length = at;
    else bytes.splice(at, 0, ...bytes.slice(at, at + 8));
  }
  return new Uint8Array(bytes);
}

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
});
afterAll(() => app.close());

describe('fuzzing the sync endpoint', () => {
  it(`survives 10,000 random and mutated frames with the document unchanged (seed ${seed})`, async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Fuzz' })).json.room;
    const documentId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Fuzz' })).json
      .document.id;
    const target: SyncTarget = { url: app.url, origin: app.origin, cookie: app.admin.cookie };
    const writer = connectClient(target, documentId);
    await writer.synced();
    writer.doc.getText('content').insert(0, 'Workshop-Protokoll: Ergebnisse der AG.');
    writer.doc.getArray('items').push(['Maßnahme 1', 'Maßnahme 2']);
    const baseline = JSON.stringify([writer.doc.getText('content').toString(), writer.doc.getArray('items').toJSON()]);
    await new Promise((done) => setTimeout(done, 200));
    writer.destroy();

    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    const next = random(seed);
    const material = validFrames();
    let sent = 0;
    try {
      for (let connection = 0; connection < 500; connection += 1) {
        const socket = await openRaw(target, documentId);
        const afterSync = connection % 2 === 1;
        if (afterSync) {
          // Complete the handshake first: answer like a real client, then fuzz.
          socket.send(material[0]!);
          await new Promise((done) => setTimeout(done, 2));
        }
        for (let i = 0; i < 20; i += 1) {
          const frame =
            next() < 0.3
              ? crypto.getRandomValues(new Uint8Array(Math.floor(next() * 200)))
              : mutate(material[Math.floor(next() * material.length)]!, next);
          if (socket.readyState === socket.OPEN) socket.send(frame);
          sent += 1;
        }
        await new Promise<void>((done) => {
          socket.once('close', () => done());
          setTimeout(() => {
            socket.terminate();
            done();
          }, 50);
        });
      }
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
    expect(sent).toBe(10_000);
    expect(errors).toEqual([]);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const reader = connectClient(target, documentId);
    await reader.synced();
    const content = () =>
      JSON.stringify([reader.doc.getText('content').toString(), reader.doc.getArray('items').toJSON()]);
    expect(await eventually(() => content() === baseline)).toBe(true);
    reader.destroy();
  }, 120_000);
});
