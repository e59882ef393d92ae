/**
 * Full Yjs clients as applications use them: y-websocket's WebsocketProvider (Nordraum and
 * @y/websocket-server) or @hocuspocus/provider (Hocuspocus), all on the `ws` package so that every
 * server is driven by the same socket implementation.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { withoutExitListener } from '../../tests/helpers/sync.ts';

/** A connected Yjs client; `synced` resolves with ms from creation to the first completed sync. */
export interface SyncClient {
  synced: Promise<number>;
  destroy(): void;
}

/** A constructor of `ws` WebSockets, possibly with fixed upgrade headers. */
export type SocketClass = new (url: string | URL, protocols?: string | string[]) => WebSocket;

/** A `ws` WebSocket class that sends the given headers (session cookie, Origin) on the upgrade. */
export function webSocketWithHeaders(headers: Record<string, string>): SocketClass {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

/** Connects a WebsocketProvider to `${wsBase}/${docName}`. */
export function connectYWebsocket(wsBase: string, docName: string, doc: Y.Doc, socketClass: SocketClass): SyncClient {
  const started = performance.now();
  const provider = withoutExitListener(
    new WebsocketProvider(wsBase, docName, doc, {
      WebSocketPolyfill: socketClass as unknown as typeof globalThis.WebSocket,
      // All clients live in this one process: BroadcastChannel would let them sync past the server.
      disableBc: true,
    }),
  );
  const synced = new Promise<number>((resolve) => {
    provider.on('sync', (state: boolean) => {
      if (state) resolve(performance.now() - started);
    });
  });
  return { synced, destroy: () => provider.destroy() };
}

/** Connects a HocuspocusProvider (its own protocol: document name prefix, auth message). */
export function connectHocuspocus(wsUrl: string, docName: string, doc: Y.Doc): SyncClient {
  const started = performance.now();
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: docName, document: doc });
  const synced = new Promise<number>((resolve) => {
    provider.on('synced', ({ state }: { state: boolean }) => {
      if (state) resolve(performance.now() - started);
    });
  });
  // With an explicit websocket the provider does not attach by itself.
  provider.attach();
  return {
    synced,
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}
