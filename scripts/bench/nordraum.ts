/**
 * Nordraum as operators run it (the bundle, with the Node flags of `npm start`) on a fresh
 * embedded PostgreSQL: the startup timing, and the server under test for the sync benchmark (an
 * admin session, one room, documents created through the API, clients on /sync with the session
 * cookie and Origin).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idleReleaseMs } from '../../apps/server/src/memory.ts';
import { serverArguments } from '../../tests/helpers/process.ts';
import { type Child, spawnNode, waitForOutput } from './child.ts';
import { connectYWebsocket, webSocketWithHeaders } from './clients.ts';
import { listenYWebsocket } from './listeners.ts';
import type { Target } from './target.ts';

export const admin = { email: 'bench@nordraum.example', password: 'benchmark password' };
// The ready line is one JSON log line with both the message and the url, in either order.
const readyLine = /^(?=.*"msg":"Nordraum is ready").*"url":"(http:[^"]+)"/m;
/** Unload delay given to Nordraum for the benchmark, so that "after unload" comes quickly. */
export const unloadMs = 1000;

/**
 * Spawns Nordraum on `dataDir` (plus `env`, e.g. DATABASE_URL) and resolves once /readyz answers 200.
 * BENCH_SERVER_DIR runs the build of another checkout (e.g. the base commit's, built there), so
 * that two builds are measured by the same benchmark code.
 */
export async function spawnNordraum(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: Child; url: string }> {
  const child = spawnNode(
    serverArguments(),
    {
      ...env,
      PATH: process.env.PATH,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      NORDRAUM_ADMIN_EMAIL: admin.email,
      NORDRAUM_ADMIN_PASSWORD: admin.password,
      NORDRAUM_SYNC_UNLOAD_MS: String(unloadMs),
      // Every socket of the benchmark is the admin's, from one address: lift the per-user and
      // per-address caps (50 and 200), which would refuse most of a burst or a listeners phase.
      NORDRAUM_SYNC_MAX_CONNECTIONS_PER_USER: '5000',
      NORDRAUM_SYNC_MAX_CONNECTIONS_PER_ADDRESS: '5000',
      // The benchmark's comments are all the admin's, hundreds a minute: lift the per-person limit.
      NORDRAUM_COMMENTS_PER_MINUTE: '100000',
      NORDRAUM_COMMENTS_PER_HOUR: '100000',
      // For profiling the server under the bench's load, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS,
      // NORDRAUM_SEARCH_INDEX=off measures what indexing for search costs the edits (a caller's
      // `env` decides for itself, as the search bench does).
      NORDRAUM_SEARCH_INDEX: env.NORDRAUM_SEARCH_INDEX ?? process.env.NORDRAUM_SEARCH_INDEX,
    },
    process.env.BENCH_SERVER_DIR || undefined,
  );
  try {
    const url = await waitForOutput(child, readyLine, 120_000);
    while (
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (child.process.exitCode !== null) throw new Error(`Nordraum exited early:\n${child.output()}`);
      await new Promise((done) => setTimeout(done, 5));
    }
    return { child, url };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Milliseconds from spawn to /readyz 200; stops the server afterwards. */
export async function timeToReady(dataDir: string): Promise<number> {
  const started = performance.now();
  const { child } = await spawnNordraum(dataDir);
  const elapsed = performance.now() - started;
  await child.stop();
  return elapsed;
}

/** Measures the first start (new cluster) and `restarts` later starts on reused data; prints the table. */
export async function benchStartup(restarts: number): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-'));
  try {
    const first = await timeToReady(dataDir);
    const later: number[] = [];
    for (let i = 0; i < restarts; i += 1) later.push(await timeToReady(dataDir));
    later.sort((a, b) => a - b);
    const rows = [
      ['start to /readyz 200, first start (new cluster)', `${first.toFixed(0)} ms`],
      [
        `start to /readyz 200, next starts (median of ${restarts})`,
        `${later[Math.floor(restarts / 2)]!.toFixed(0)} ms`,
      ],
      ['start to /readyz 200, next starts (worst)', `${later.at(-1)!.toFixed(0)} ms`],
    ];
    const width = Math.max(...rows.map(([name]) => name!.length));
    console.log('\nNordraum startup (embedded PostgreSQL)');
    for (const [name, value] of rows) console.log(`  ${name!.padEnd(width)}  ${value}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** POSTs JSON to Nordraum's API as the benchmark's admin session; throws unless it answered 2xx. */
export async function api(url: string, path: string, cookie: string, body: unknown): Promise<Response> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Logs in as the admin and creates the benchmark room; returns the cookie and the room id. */
export async function prepare(url: string): Promise<{ cookie: string; roomId: string }> {
  const login = await api(url, '/api/auth/login', '', admin);
  const session = login.headers.getSetCookie().find((c) => c.startsWith('nordraum_session='));
  if (!session) throw new Error('login set no nordraum_session cookie');
  const cookie = session.split(';')[0]!;
  const { room } = (await (await api(url, '/api/rooms', cookie, { name: 'Bench' })).json()) as { room: { id: string } };
  return { cookie, roomId: room.id };
}

/** Reads one number from /metrics; undefined if it is not there (optional). */
async function metric(url: string, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = text.match(new RegExp(`^${name} ([\\d.e+-]+)`, 'm'))?.[1];
    return value === undefined ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

function postgresPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** Starts Nordraum on a fresh data dir as a benchmark target; `env` adds to its environment. */
export async function startNordraum(
  env: Record<string, string> = {},
): Promise<Target & { url: string; cookie: string; roomId: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-'));
  const { child, url } = await spawnNordraum(dataDir, env);
  try {
    const { cookie, roomId } = await prepare(url);
    const headers = { cookie, origin: url };
    const socketClass = webSocketWithHeaders(headers);
    const sync = `${url.replace(/^http/, 'ws')}/sync`;
    let created = 0;
    const createDocument = async () => {
      created += 1;
      const response = await api(url, `/api/rooms/${roomId}/documents`, cookie, {
        kind: 'notes',
        title: `Bench ${created}`,
      });
      return ((await response.json()) as { document: { id: string } }).document.id;
    };
    return {
      url,
      cookie,
      roomId,
      name: 'nordraum',
      pid: child.pid,
      databasePid: () => postgresPid(dataDir),
      persistence: 'postgres',
      unloads: true,
      unloadWaitMs: unloadMs + 1000,
      // Nordraum gives memory back after it has had no document loaded for a quiet spell.
      memorySettleMs: unloadMs + idleReleaseMs + 1000,
      async createDocuments(count) {
        const ids: string[] = [];
        for (let i = 0; i < count; i += 1) ids.push(await createDocument());
        return ids;
      },
      async servePages() {
        // The sign-in page, a room and a document of each kind that renders on the server (a
        // roadmap's first view, notes) as the admin: the web app's modules as a reader meets them.
        const documents = await Promise.all(
          (['notes', 'roadmap'] as const).map(async (kind) => {
            const response = await api(url, `/api/rooms/${roomId}/documents`, cookie, { kind, title: `Page ${kind}` });
            return ((await response.json()) as { document: { id: string } }).document.id;
          }),
        );
        const pages = [
          { path: '/login', cookie: undefined },
          ...[`/rooms/${roomId}`, ...documents.map((id) => `/documents/${id}`)].map((path) => ({ path, cookie })),
        ];
        for (const page of pages) {
          const response = await fetch(`${url}${page.path}`, { headers: page.cookie ? { cookie: page.cookie } : {} });
          const html = await response.text();
          if (response.status !== 200 || !html.includes('<html'))
            throw new Error(`GET ${page.path}: ${response.status} ${html.slice(0, 200)}`);
        }
      },
      endpoint: { protocol: 'y-websocket', url: sync, headers },
      client: (docId, doc) => connectYWebsocket(sync, docId, doc, socketClass),
      listener: (docId, onUpdate) => listenYWebsocket(`${sync}/${docId}`, socketClass, onUpdate),
      documentsLoaded: () => metric(url, 'nordraum_sync_documents_loaded'),
      // One batch of the group commit is one transaction.
      commits: () => metric(url, 'nordraum_sync_persist_batch_seconds_count'),
      commitSeconds: () => metric(url, 'nordraum_sync_persist_batch_seconds_sum'),
      async stop() {
        await child.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
