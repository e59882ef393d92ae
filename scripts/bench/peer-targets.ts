/**
 * The reference servers, each in its own child process on 127.0.0.1 and an ephemeral port:
 * @y/websocket-server (in memory) and @hocuspocus/server (in memory, or on SQLite: the whole document
 * 2-10 s after a change as configured by default, the whole document on every change, or every update
 * appended to a log).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { spawnNode, waitForOutput } from './child.ts';
import { connectHocuspocus, connectYWebsocket } from './clients.ts';
import { listenHocuspocus, listenYWebsocket } from './listeners.ts';
import type { Target } from './target.ts';

const portLine = /\{"port":(\d+)\}/;
// BENCH_SERVER_NODE_OPTIONS (e.g. `--cpu-prof`) applies to every server under test, peers included.
const childEnv = { PATH: process.env.PATH, NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS };

function names(count: number): Promise<string[]> {
  return Promise.resolve(Array.from({ length: count }, () => `bench-${randomUUID()}`));
}

/** Starts @y/websocket-server; it never unloads a document without a persistence layer. */
export async function startYWebsocketServer(): Promise<Target> {
  const child = spawnNode(['scripts/bench/y-websocket-server-child.ts'], childEnv);
  const base = `ws://127.0.0.1:${await waitForOutput(child, portLine, 30_000)}`;
  return {
    name: 'y-websocket-server',
    pid: child.pid,
    databasePid: () => undefined,
    persistence: 'memory',
    unloads: false,
    unloadWaitMs: 200,
    createDocuments: names,
    endpoint: { protocol: 'y-websocket', url: base },
    client: (docName, doc) => connectYWebsocket(base, docName, doc, WebSocket),
    listener: (docName, onUpdate) => listenYWebsocket(`${base}/${docName}`, WebSocket, onUpdate),
    stop: () => child.stop(),
  };
}

/** How Hocuspocus keeps documents: see hocuspocus-child.ts. */
export type HocuspocusStore = 'memory' | 'debounced' | 'every-change' | 'append';

/** The name of each Hocuspocus configuration in flags and tables. */
export const hocuspocusNames = {
  memory: 'hocuspocus',
  debounced: 'hocuspocus-sqlite',
  'every-change': 'hocuspocus-sqlite-each',
  append: 'hocuspocus-sqlite-append',
} as const satisfies Record<HocuspocusStore, string>;

/** The arguments of hocuspocus-child.ts for a store on `file`. */
export function hocuspocusArgs(store: HocuspocusStore, file: string): string[] {
  return ['scripts/bench/hocuspocus-child.ts', ...(store === 'memory' ? [] : [file, store])];
}

/** Starts @hocuspocus/server, in memory or with a node:sqlite store in a fresh temp dir. */
export async function startHocuspocus(store: HocuspocusStore): Promise<Target> {
  const dir = store === 'memory' ? undefined : await mkdtemp(join(tmpdir(), 'nordraum-bench-hocuspocus-'));
  const child = spawnNode(hocuspocusArgs(store, dir ? join(dir, 'documents.sqlite') : ''), childEnv);
  const url = `ws://127.0.0.1:${await waitForOutput(child, portLine, 30_000)}`;
  return {
    name: hocuspocusNames[store],
    pid: child.pid,
    databasePid: () => undefined,
    persistence: dir ? 'sqlite' : 'memory',
    unloads: true,
    // The last disconnect stores at once (unloadImmediately) and unloads right after.
    unloadWaitMs: 500,
    createDocuments: names,
    endpoint: { protocol: 'hocuspocus', url },
    client: (docName, doc) => connectHocuspocus(url, docName, doc),
    listener: (docName, onUpdate) => listenHocuspocus(url, docName, onUpdate),
    async stop() {
      await child.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
