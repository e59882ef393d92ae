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

/** Connects the stock `WebsocketProvider` to `/sync/<documentId>` (optionally with an existing doc). */
export function connectClient(
  target: SyncTarget,
  documentId: string,
  options: { doc?: Y.Doc; maxBackoffTime?: number } = {},
): SyncClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${target.url.replace(/^http/, 'ws')}/sync`, documentId, doc, {
    WebSocketPolyfill: authenticatedWebSocket(target) as unknown as typeof globalThis.WebSocket,
    // Clients in one test process would otherwise talk through BroadcastChannel, not the server.
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 500,
  });
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
