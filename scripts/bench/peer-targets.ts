/**
 * The reference servers, each in its own child process on 127.0.0.1 and an ephemeral port:
 * @y/websocket-server (in memory) and @hocuspocus/server (in memory, or on SQLite).
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

/** Starts @hocuspocus/server, in memory or with the node:sqlite store in a fresh temp dir. */
export async function startHocuspocus(withSqlite: boolean): Promise<Target> {
  const dir = withSqlite ? await mkdtemp(join(tmpdir(), 'nordraum-bench-hocuspocus-')) : undefined;
  const child = spawnNode(
    ['scripts/bench/hocuspocus-child.ts', ...(dir ? [join(dir, 'documents.sqlite')] : [])],
    childEnv,
  );
  const url = `ws://127.0.0.1:${await waitForOutput(child, portLine, 30_000)}`;
  return {
    name: withSqlite ? 'hocuspocus-sqlite' : 'hocuspocus',
    pid: child.pid,
    databasePid: () => undefined,
    persistence: withSqlite ? 'sqlite' : 'memory',
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
