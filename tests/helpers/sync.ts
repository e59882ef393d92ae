import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Where and as whom a client connects. */
export interface SyncTarget {
  /** http://127.0.0.1:port */
  url: string;
  /** The origin the server accepts (sent as Origin). */
  origin: string;
  /** `nordraum_session=...` */
  cookie: string | undefined;
}

/** A `ws` WebSocket that sends our cookie and Origin, as a browser would. */
export function authenticatedWebSocket(target: Pick<SyncTarget, 'origin' | 'cookie'>) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, {
        headers: { origin: target.origin, ...(target.cookie ? { cookie: target.cookie } : {}) },
      });
    }
  };
}

/** A stock y-websocket client on a document, with the closes it saw. */
export interface SyncClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  /** Resolves when the provider reports synced. */
  synced(): Promise<void>;
  destroy(): void;
}

/**
 * Removes the process 'exit' listener every `WebsocketProvider` adds (it tells the provider's peers
 * that the app closed). Clients in tests and benchmarks end with their provider, so it has nothing
 * to do there, and ten of them alive at once in one process made Node warn of a listener leak.
 */
export function withoutExitListener(provider: WebsocketProvider): WebsocketProvider {
  process.off('exit', provider._exitHandler);
  return provider;
}

/** Connects the stock `WebsocketProvider` to `/sync/<documentId>` (optionally with an existing doc). */
export function connectClient(
  target: SyncTarget,
  documentId: string,
  options: { doc?: Y.Doc; maxBackoffTime?: number; resyncInterval?: number } = {},
): SyncClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = withoutExitListener(
    new WebsocketProvider(`${target.url.replace(/^http/, 'ws')}/sync`, documentId, doc, {
      WebSocketPolyfill: authenticatedWebSocket(target) as unknown as typeof globalThis.WebSocket,
      // Clients in one test process would otherwise talk through BroadcastChannel, not the server.
      disableBc: true,
      maxBackoffTime: options.maxBackoffTime ?? 500,
      // Unset: y-websocket's default, no resync once synced.
      resyncInterval: options.resyncInterval,
    }),
  );
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise<void>((resolve) => provider.once('sync', (state: boolean) => state && resolve())),
    destroy() {
      provider.destroy();
    },
  };
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((done) => setTimeout(done, 10));
  }
  return check();
}

/** Whether `doc` holds everything `writer` holds: its insertions and its deletions (which move no clock). */
export function covers(doc: Y.Doc, writer: Y.Doc): boolean {
  return Y.snapshotContainsUpdate(Y.snapshot(doc), Y.encodeStateAsUpdate(writer));
}

/**
 * Waits until the server has committed everything `writer` holds of `documentId`, for a REST call,
 * an index or a worker that reads the server's copy next. The server sends a client only committed
 * edits, so a second client that holds all of it is the signal; y-websocket sends no acknowledgement
 * to the writer. Throws after `timeoutMs` (a loaded CI machine commits slowly, hence the default).
 */
export async function untilCommitted(target: SyncTarget, documentId: string, writer: Y.Doc, timeoutMs = 20_000) {
  const reader = connectClient(target, documentId);
  try {
    if (!(await eventually(() => reader.provider.synced && covers(reader.doc, writer), timeoutMs)))
      throw new Error(`the server did not commit the edits to ${documentId} within ${timeoutMs} ms`);
  } finally {
    reader.destroy();
  }
}

/**
 * The document as the server has committed it once `writer` (a client that may write) has made
 * one more edit, a mark in a map of its own: a fresh client's copy, read when it holds the mark.
 * The server commits what it accepts in the order it handles it, so an edit it handled before
 * the mark, on any connection, is in that copy if it was accepted. Shows "nothing was written"
 * without a fixed wait, once the edit in question was handled (a counter, a close or
 * {@link roundTrip} shows that).
 */
export async function committedAfterMark(target: SyncTarget, documentId: string, writer: Y.Doc, timeoutMs = 20_000) {
  const marks = writer.getMap<number>('test-marks');
  marks.set('mark', (marks.get('mark') ?? 0) + 1);
  const reader = connectClient(target, documentId);
  try {
    if (!(await eventually(() => reader.provider.synced && covers(reader.doc, writer), timeoutMs)))
      throw new Error(`the server did not commit the mark on ${documentId} within ${timeoutMs} ms`);
    return reader.doc;
  } finally {
    reader.destroy();
  }
}

/**
 * One round trip on a connection (a stock client's or a raw socket): a sync request (step 1),
 * resolved on its answer (step 2), which the server always sends, at the latest after its
 * interval between answers (a second). The server handles a connection's frames in order and
 * sends to it in order: once this resolves, every frame sent on it before was handled, and
 * everything the server sent to it before has arrived.
 */
export function roundTrip(connection: SyncClient | WebSocket, timeoutMs = 5_000): Promise<void> {
  const stock = 'provider' in connection;
  const socket = (stock ? connection.provider.ws : connection) as unknown as WebSocket | null;
  if (!socket) return Promise.reject(new Error('the client is not connected'));
  const request = encoding.createEncoder();
  encoding.writeVarUint(request, 0);
  encoding.writeVarUint(request, 0);
  encoding.writeVarUint8Array(request, stock ? Y.encodeStateVector(connection.doc) : new Uint8Array([0]));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no answer to a sync request within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: Buffer | ArrayBuffer) => {
      const bytes = new Uint8Array(data);
      // The answer is sync step 2 (message 0, type 1); others' edits come as type 2.
      if (bytes[0] !== 0 || bytes[1] !== 1) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve();
    };
    socket.on('message', onMessage);
    socket.send(encoding.toUint8Array(request));
  });
}

/** Opens a raw websocket (no Yjs) to see how the upgrade is answered: status code or open. */
export function tryUpgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number } | { open: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ open: socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Opens a raw websocket to a document with a session, for sending hand-made frames. */
export async function openRaw(target: SyncTarget, documentId: string): Promise<WebSocket> {
  const result = await tryUpgrade(`${target.url.replace(/^http/, 'ws')}/sync/${documentId}`, {
    origin: target.origin,
    ...(target.cookie ? { cookie: target.cookie } : {}),
  });
  if (!('open' in result)) throw new Error(`upgrade refused with ${result.status}`);
  return result.open;
}

/** Resolves with the close code and reason the server sends. */
export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sync step 1 with a made-up, non-empty state vector: the 6-byte frame of issue 18. */
export const amplifyingSyncRequest = new Uint8Array([0, 0, 3, 1, 1, 0]);

/**
 * A document of about `megabytes` MB in many small Yjs items, as a long action list is: costly to
 * encode (what a sync request for it costs the server), as one update.
 */
export function largeDocumentUpdate(megabytes: number): Uint8Array {
  const doc = new Y.Doc();
  const items = doc.getArray<Y.Map<string>>('items');
  const text = 'Maßnahme der AG IT-Resilienz: Abstimmung zwischen SH und MV, Zuständigkeit Dataport. '.repeat(2);
  const count = Math.round((megabytes * 1_000_000) / (text.length + 60));
  doc.transact(() => {
    for (let i = 0; i < count; i += 1) {
      const item = new Y.Map<string>();
      item.set('title', `${i} ${text}`);
      item.set('status', 'open');
      items.insert(0, [item]);
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** What {@link amplificationAttack} saw: the server's memory and how fast /healthz answered. */
export interface AmplificationFigures {
  baselineRssMiB: number;
  peakRssMiB: number;
  /** Slowest /healthz answer, ms. */
  healthzMaxMs: number;
  healthzP50Ms: number;
  healthzP90Ms: number;
  /** The same in as long a time just before the attack: what the machine gives without it. */
  quietMaxMs: number;
  quietP50Ms: number;
  quietP90Ms: number;
  healthzCount: number;
  healthzFailures: number;
  /** The server grew past the memory bound and was killed. */
  killed: boolean;
  /** Milliseconds from the burst's first frame until it was killed (undefined: it was not). */
  killedAfterMs?: number;
}

/**
 * A read-only member attacks a document the way issue 18 describes: one socket sends `frames`
 * sync requests in one burst, another sends one every 100 ms; neither ever reads what it is
 * sent. Meanwhile /healthz is asked every 25 ms and the server's resident memory read from /proc
 * every 10 ms; a server that grows by more than `killAboveMiB` is killed (the machine is shared).
 */
export async function amplificationAttack(options: {
  target: SyncTarget;
  documentId: string;
  pid: number;
  frames: number;
  durationMs: number;
  killAboveMiB: number;
}): Promise<AmplificationFigures> {
  const { rssMiB } = await import('../../scripts/bench/proc-stats.ts');
  const quiet = (await probeHealth(options.target.url, options.durationMs))
    .filter((ms) => ms >= 0)
    .sort((a, b) => a - b);
  const baselineRssMiB = rssMiB(options.pid);
  let peakRssMiB = baselineRssMiB;
  let killed = false;
  let attackStarted = Number.NaN;
  let killedAfterMs: number | undefined;
  const sampler = setInterval(() => {
    const rss = rssMiB(options.pid);
    peakRssMiB = Math.max(peakRssMiB, rss);
    if (!killed && rss - baselineRssMiB > options.killAboveMiB) {
      killed = true;
      killedAfterMs = performance.now() - attackStarted;
      process.kill(options.pid, 'SIGKILL');
    }
  }, 10);
  // The probes run in a process of their own, so that this one (its clients, its garbage
  // collector) cannot delay them: what they measure is the server.
  const probes = probeHealth(options.target.url, options.durationMs + 500);
  await new Promise((done) => setTimeout(done, 500));
  const burst = await openRaw(options.target, options.documentId);
  const trickle = await openRaw(options.target, options.documentId);
  for (const socket of [burst, trickle]) {
    socket.pause();
    socket.on('error', () => {});
  }
  // One write of all frames (masked with a zero key, so the payload reads as is): the server reads
  // them at once, and this process does not stall its own /healthz probes with thousands of sends.
  const frame = Buffer.from([0x82, 0x80 | amplifyingSyncRequest.length, 0, 0, 0, 0, ...amplifyingSyncRequest]);
  attackStarted = performance.now();
  (burst as unknown as { _socket: import('node:net').Socket })._socket.write(
    Buffer.concat(Array.from({ length: options.frames }, () => frame)),
  );
  const trickling = setInterval(() => {
    if (trickle.readyState === trickle.OPEN) trickle.send(amplifyingSyncRequest);
  }, 100);
  await new Promise((done) => setTimeout(done, options.durationMs));
  clearInterval(trickling);
  const latencies = await probes;
  clearInterval(sampler);
  burst.terminate();
  trickle.terminate();
  const answered = latencies.filter((ms) => ms >= 0).sort((a, b) => a - b);
  return {
    baselineRssMiB,
    peakRssMiB,
    healthzMaxMs: answered.at(-1) ?? Number.POSITIVE_INFINITY,
    healthzP50Ms: percentile(answered, 0.5),
    healthzP90Ms: percentile(answered, 0.9),
    quietMaxMs: quiet.at(-1) ?? 0,
    quietP50Ms: percentile(quiet, 0.5),
    quietP90Ms: percentile(quiet, 0.9),
    healthzCount: latencies.length,
    healthzFailures: latencies.length - answered.length,
    killed,
    killedAfterMs,
  };
}

/**
 * Asks `url`/healthz every 25 ms for `durationMs` from a child process; resolves with each
 * answer's latency in ms (-1: no 200 within 30 s, or no server). The long time-out lets a stalled
 * server's answer show how long it stalled.
 */
export async function probeHealth(url: string, durationMs: number): Promise<number[]> {
  const { spawn } = await import('node:child_process');
  const script = `
    const latencies = [];
    const end = performance.now() + ${durationMs};
    while (performance.now() < end) {
      const started = performance.now();
      const ok = await fetch(${JSON.stringify(`${url}/healthz`)}, { signal: AbortSignal.timeout(30_000) })
        .then((r) => r.status === 200, () => false);
      latencies.push(ok ? performance.now() - started : -1);
      await new Promise((done) => setTimeout(done, 25));
    }
    process.stdout.write(JSON.stringify(latencies));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise((done) => child.once('exit', done));
  return JSON.parse(output) as number[];
}

/** The `fraction` percentile of sorted numbers (Infinity when there are none). */
const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.POSITIVE_INFINITY;

/**
 * On a running Nordraum, as its administrator: a room with a document of about `megabytes` MB
 * (stored), and a viewer in the room. Returns logged-in clients of both.
 */
export async function largeDocumentWithViewer(
  url: string,
  admin: { email: string; password: string },
  megabytes: number,
) {
  const { ApiClient, adoptStartPassword } = await import('./app.ts');
  const owner = new ApiClient(url);
  await owner.login(admin.email, admin.password);
  const room = (await owner.post('/api/rooms', { name: 'AG Lenkungskreis' })).json.room;
  const documentId = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'actions', title: 'Maßnahmen' })).json
    .document.id as string;
  const organizations = (await owner.get('/api/organizations')).json.organizations as { id: string; code: string }[];
  const viewerEmail = `zuschauer-${Date.now()}@sh.example`;
  const created = await owner.post('/api/admin/users', {
    email: viewerEmail,
    name: 'Zuschauerin',
    organizationId: organizations.find((o) => o.code === 'SH')!.id,
    password: admin.password,
  });
  if (created.status !== 201) throw new Error(`creating the viewer failed: ${created.text}`);
  await owner.put(`/api/rooms/${room.id}/members/${created.json.user.id}`, { role: 'viewer' });
  // An account an administrator created must set its own password before it may connect.
  await adoptStartPassword(url, viewerEmail, admin.password);
  const viewer = new ApiClient(url);
  await viewer.login(viewerEmail, admin.password);

  const update = largeDocumentUpdate(megabytes);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const writer = connectClient({ url, origin: url, cookie: owner.cookie }, documentId, { doc, maxBackoffTime: 2_000 });
  await writer.synced();
  const stored = async () => (await owner.request('GET', `/api/documents/${documentId}/state`)).text.length;
  if (!(await eventually(async () => (await stored()) >= update.byteLength * 0.9, 60_000)))
    throw new Error('the large document was not stored');
  writer.destroy();
  doc.destroy();
  return { documentId, owner, viewer, size: update.byteLength };
}
