/**
 * Recovery point: a writer sends edits, an observer sees them; the server is SIGKILLed in the
 * middle and restarted on the same data: the edits the observer had seen that are missing now.
 * The clients are destroyed at the kill, so they cannot send the lost edits again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type Child, spawnNode, waitForOutput } from '../child.ts';
import { connectHocuspocus, connectYWebsocket, type SyncClient, webSocketWithHeaders } from '../clients.ts';
import { api, prepare, spawnNordraum } from '../nordraum.ts';
import { type HocuspocusStore, hocuspocusArgs, hocuspocusNames } from '../peer-targets.ts';
import type { ServerName } from './table.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A server that can be killed and started again on the same data, with a document on it. */
export interface Restartable {
  start(): Promise<{ child: Child; client(doc: Y.Doc): SyncClient }>;
  cleanup(): Promise<void>;
}

/** Nordraum on a data directory kept over restarts. */
export function restartableNordraum(): Restartable {
  let dataDir: string | undefined;
  let documentId: string | undefined;
  return {
    async start() {
      dataDir ??= await mkdtemp(join(tmpdir(), 'nordraum-bench-rp-'));
      const { child, url } = await spawnNordraum(dataDir);
      const { cookie, roomId } = await prepare(url);
      if (!documentId) {
        const created = await api(url, `/api/rooms/${roomId}/documents`, cookie, { kind: 'notes', title: 'RPO' });
        documentId = ((await created.json()) as { document: { id: string } }).document.id;
      }
      const socketClass = webSocketWithHeaders({ cookie, origin: url });
      const base = `${url.replace(/^http/, 'ws')}/sync`;
      return { child, client: (doc) => connectYWebsocket(base, documentId!, doc, socketClass) };
    },
    cleanup: async () => {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A peer on a data directory (SQLite file) kept over restarts; y-websocket-server keeps nothing. */
export function restartablePeer(name: Exclude<ServerName, 'nordraum'>): Restartable {
  let dir: string | undefined;
  const store = (Object.keys(hocuspocusNames) as HocuspocusStore[]).find((s) => hocuspocusNames[s] === name);
  return {
    async start() {
      dir ??= await mkdtemp(join(tmpdir(), 'nordraum-bench-rp-peer-'));
      const args = store
        ? hocuspocusArgs(store, join(dir, 'documents.sqlite'))
        : ['scripts/bench/y-websocket-server-child.ts'];
      const child = spawnNode(args, { PATH: process.env.PATH });
      const port = await waitForOutput(child, /\{"port":(\d+)\}/, 30_000);
      const client = (doc: Y.Doc) =>
        store
          ? connectHocuspocus(`ws://127.0.0.1:${port}`, 'rpo', doc)
          : connectYWebsocket(`ws://127.0.0.1:${port}`, 'rpo', doc, WebSocket);
      return { child, client };
    },
    cleanup: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Edits seen by another client before a SIGKILL (of `edits` sent) that are missing after the restart. */
export async function recoveryPoint(server: Restartable, edits: number) {
  try {
    const first = await server.start();
    const writerDoc = new Y.Doc();
    const observerDoc = new Y.Doc();
    const writer = first.client(writerDoc);
    const observer = first.client(observerDoc);
    await Promise.all([writer.synced, observer.synced]);
    let seen: number[] = [];
    for (let i = 0; i < edits; i += 1) {
      writerDoc.getArray<number>('burst').push([i]);
      if (i % 10 === 9) await sleep(5);
      if (i === Math.floor(edits / 2)) {
        await sleep(20);
        seen = observerDoc.getArray<number>('burst').toArray();
        first.child.process.kill('SIGKILL');
        writer.destroy();
        observer.destroy();
        break;
      }
    }
    await first.child.stop();
    const second = await server.start();
    const readerDoc = new Y.Doc();
    const reader = second.client(readerDoc);
    await reader.synced;
    await sleep(200);
    const stored = new Set(readerDoc.getArray<number>('burst').toArray());
    reader.destroy();
    await second.child.stop();
    return { seen: seen.length, lost: seen.filter((edit) => !stored.has(edit)).length };
  } finally {
    await server.cleanup();
  }
}
