/**
 * Raw listener sockets for the "listeners" mode: they complete the sync handshake like a fresh
 * client with an empty document (so the server treats them as synced peers) and then only hand
 * the updates they receive to a callback, without keeping a Y.Doc. That way a thousand sockets
 * measure the server's fan-out instead of the load generator's Yjs work. A listener can also
 * send updates: a writer that types from a document of its own edits and never applies anyone
 * else's (see LoadPlan.rawWriters).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import type { SocketClass } from './clients.ts';

const emptyStateVector = new Uint8Array([0]);
const emptyUpdate = new Uint8Array([0, 0]);
// Sent in the auth message like the provider does; its package.json is not an export, so read the file.
const providerEntry = createRequire(import.meta.url).resolve('@hocuspocus/provider');
const providerVersion: string = JSON.parse(
  readFileSync(join(dirname(providerEntry), '..', 'package.json'), 'utf8'),
).version;
// Hocuspocus closes connections that send nothing for 60 s; real providers renew awareness.
const hocuspocusKeepAliveMs = 20_000;

/** A listener socket; `synced` resolves with ms from creation to the server's sync step 2. */
export interface Listener {
  synced: Promise<number>;
  /** Sends a Yjs update as a sync update message, as a writing client does (once synced). */
  send(update: Uint8Array): void;
  close(): void;
}

type OnUpdate = (update: Uint8Array) => void;

/** A frame of an optional Hocuspocus name prefix, then message type, then sync kind and payload. */
function syncFrame(name: string | undefined, type: number, kind: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  if (name !== undefined) encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function hocuspocusAuthFrame(name: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, 2); // auth
  encoding.writeVarUint(encoder, 0); // token
  encoding.writeVarString(encoder, '');
  encoding.writeVarString(encoder, providerVersion);
  return encoding.toUint8Array(encoder);
}

function hocuspocusQueryAwarenessFrame(name: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, 3);
  return encoding.toUint8Array(encoder);
}

/**
 * Reads one y-protocols sync message (step 1, step 2 or update) from the decoder; answers step 1
 * with an empty step 2 via `reply`, reports updates, and returns true on step 2.
 */
function readSync(decoder: decoding.Decoder, reply: (step2: Uint8Array) => void, onUpdate: OnUpdate): boolean {
  const kind = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (kind === 0) reply(emptyUpdate);
  else onUpdate(payload);
  return kind === 1;
}

/** Opens a raw y-websocket protocol listener on `url` (the document's full websocket URL). */
export function listenYWebsocket(url: string, socketClass: SocketClass, onUpdate: OnUpdate): Listener {
  const started = performance.now();
  const socket = new socketClass(url);
  socket.binaryType = 'nodebuffer';
  let markSynced: (ms: number) => void = () => {};
  const synced = new Promise<number>((resolve) => {
    markSynced = resolve;
  });
  socket.on('open', () => {
    socket.send(syncFrame(undefined, 0, 0, emptyStateVector));
  });
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(decoder) !== 0) return; // awareness and auth frames are not counted
    const reply = (step2: Uint8Array) => socket.send(syncFrame(undefined, 0, 1, step2));
    if (readSync(decoder, reply, onUpdate)) markSynced(performance.now() - started);
  });
  socket.on('error', () => {}); // a refused or reset socket shows up as missing deliveries
  return { synced, send: (update) => socket.send(syncFrame(undefined, 0, 2, update)), close: () => socket.close() };
}

/** Opens a raw Hocuspocus protocol listener: auth message, then sync, every frame prefixed by the name. */
export function listenHocuspocus(url: string, docName: string, onUpdate: OnUpdate): Listener {
  const started = performance.now();
  const socket = new WebSocket(url);
  let markSynced: (ms: number) => void = () => {};
  const synced = new Promise<number>((resolve) => {
    markSynced = resolve;
  });
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  socket.on('open', () => {
    socket.send(hocuspocusAuthFrame(docName));
    socket.send(syncFrame(docName, 0, 0, emptyStateVector));
    keepAlive = setInterval(() => socket.send(hocuspocusQueryAwarenessFrame(docName)), hocuspocusKeepAliveMs);
  });
  socket.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === 9) {
      socket.send(new Uint8Array([10])); // application-level ping: answer like the provider
      return;
    }
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== 0) return;
    const reply = (step2: Uint8Array) => socket.send(syncFrame(docName, 0, 1, step2));
    if (readSync(decoder, reply, onUpdate)) markSynced(performance.now() - started);
  });
  socket.on('error', () => {});
  socket.on('close', () => clearInterval(keepAlive));
  return {
    synced,
    send: (update) => socket.send(syncFrame(docName, 0, 2, update)),
    close: () => {
      clearInterval(keepAlive);
      socket.close();
    },
  };
}
