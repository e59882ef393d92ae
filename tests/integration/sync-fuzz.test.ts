import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  amplifyingSyncRequest,
  connectClient,
  eventually,
  openRaw,
  type SyncTarget,
  untilCommitted,
} from '../helpers/sync.ts';

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

describe('fuzzing with the patterns of issue 18', () => {
  it(`survives bursts of sync requests and claims on a colleague's client ids, and the colleague carries on (seed ${seed})`, async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Fuzz 18' })).json.room;
    const documentId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Fuzz' })).json
      .document.id;
    const squatter = await app.user('MV');
    const viewer = await app.user('SH');
    await app.admin.put(`/api/rooms/${room.id}/members/${squatter.id}`, { role: 'editor' });
    await app.admin.put(`/api/rooms/${room.id}/members/${viewer.id}`, { role: 'viewer' });
    const as = (client: { cookie: string | undefined }): SyncTarget => ({
      url: app.url,
      origin: app.origin,
      cookie: client.cookie,
    });
    const owner = connectClient(as(app.admin), documentId);
    await owner.synced();
    owner.provider.awareness.setLocalStateField('user', { name: 'Eigentümerin' });
    owner.doc.getText('content').insert(0, 'Bleibt, wie es ist.');
    const ownerId = owner.doc.clientID;
    // Her client id is hers once the server has taken her edit under it, before anyone squats on it.
    await untilCommitted(as(app.admin), documentId, owner.doc);

    const next = random(seed + 18);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
    const frame = (...parts: (number | Uint8Array)[]) => {
      const encoder = encoding.createEncoder();
      for (const part of parts)
        typeof part === 'number' ? encoding.writeVarUint(encoder, part) : encoding.writeVarUint8Array(encoder, part);
      return encoding.toUint8Array(encoder);
    };
    const stateVector = () => {
      const encoder = encoding.createEncoder();
      const count = Math.floor(next() * 4);
      encoding.writeVarUint(encoder, count);
      for (let i = 0; i < count; i += 1) {
        encoding.writeVarUint(encoder, pick([ownerId, 1, Math.floor(next() * 2 ** 32)]));
        encoding.writeVarUint(encoder, Math.floor(next() * 100));
      }
      return encoding.toUint8Array(encoder);
    };
    const claim = () => {
      const inner = encoding.createEncoder();
      const count = pick([1, 2, 5, 50]);
      encoding.writeVarUint(inner, count);
      for (let i = 0; i < count; i += 1) {
        encoding.writeVarUint(inner, pick([ownerId, ownerId + 1, Math.floor(next() * 2 ** 32)]));
        encoding.writeVarUint(inner, Math.floor(next() * 1_000));
        encoding.writeVarString(inner, JSON.stringify(next() < 0.2 ? null : { user: { name: 'Eigentümerin' } }));
      }
      return frame(1, encoding.toUint8Array(inner));
    };
    const editAs = () => {
      const doc = new Y.Doc();
      // Under the owner's client id (an editor may well write under a fresh one of their own).
      doc.clientID = ownerId;
      doc.getText('content').insert(0, 'fremd ');
      return frame(0, 2, Y.encodeStateAsUpdate(doc));
    };

    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      // Made once: building a Y.Doc per frame would make this process, not the server, the slow part.
      const material = Array.from({ length: 200 }, () =>
        pick([() => frame(0, 0, stateVector()), claim, editAs, () => amplifyingSyncRequest])(),
      );
      for (let connection = 0; connection < 40; connection += 1) {
        const socket = await openRaw(as(pick([squatter, viewer])), documentId);
        socket.on('error', () => {});
        if (next() < 0.5) socket.pause();
        const burst = Math.floor(next() * 2_000);
        for (let i = 0; i < burst && socket.readyState === socket.OPEN; i += 1) socket.send(pick(material));
        await new Promise<void>((done) => {
          socket.once('close', () => done());
          setTimeout(() => {
            socket.terminate();
            done();
          }, 30);
        });
      }
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
    expect(errors).toEqual([]);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    // The owner's client id is still hers: her presence and her edits go through, no 1008.
    owner.provider.awareness.setLocalStateField('cursor', 1);
    owner.doc.getText('content').insert(0, 'Weiter: ');
    const reader = connectClient(as(app.admin), documentId);
    await reader.synced();
    expect(
      await eventually(() => reader.doc.getText('content').toString() === 'Weiter: Bleibt, wie es ist.', 10_000),
    ).toBe(true);
    expect(
      await eventually(
        () => (reader.provider.awareness.getStates().get(ownerId)?.user as { id?: string })?.id === app.admin.id,
      ),
    ).toBe(true);
    expect(owner.closes.filter((close) => close.code === 1008)).toEqual([]);
    for (const client of [owner, reader]) client.destroy();
  }, 120_000);
});
