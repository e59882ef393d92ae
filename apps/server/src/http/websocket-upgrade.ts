import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Websocket upgrades through the app: the upgrade request runs through the app's routes and
 * checks like any request (as `c.env`, these bindings), and a route that takes the socket sets
 * `accept`; any other answer is sent as the refusal, without a body. This replaces
 * @hono/node-server's websocket helper, which keeps, for as long as each socket lives, a context
 * object with its own functions, a parsed URL, buffers and listeners that the sync server does not
 * use (about 1.5 kB a socket); here a socket keeps only what its route gives `accept`.
 */
export interface UpgradeBindings {
  incoming: IncomingMessage;
  outgoing: undefined;
  /** Set by the route that takes the socket; called with it once the handshake is done. */
  accept?: (ws: WebSocket) => void;
}

/** Headers of the app's answer that are the handshake's own, or make no sense on it. */
const handshakeHeaders = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'sec-websocket-accept',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

function appendHeaders(lines: string[], headers: Headers | undefined) {
  headers?.forEach((value, name) => {
    if (!handshakeHeaders.has(name.toLowerCase())) lines.push(`${name}: ${value}`);
  });
}

function refuse(socket: Duplex, status: number, headers?: Headers) {
  if (socket.destroyed) return;
  const lines = ['Connection: close', 'Content-Length: 0'];
  appendHeaders(lines, headers);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n`);
}

/** The upgrade request as a Fetch request (no body: a GET). Throws for a target that is no URL. */
function fetchRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value) headers.append(name, Array.isArray(value) ? value[0]! : value);
  }
  const target = request.url ?? '/';
  const url = target.startsWith('/')
    ? new URL(target, `http://${request.headers.host ?? 'localhost'}`)
    : new URL(target);
  return new Request(url, { headers });
}

const ignore = () => {};

/** Answers `server`'s websocket upgrades with `fetch` (the app) and `wss`; closes `wss` with the server. */
export function serveUpgrades(
  server: Server,
  wss: WebSocketServer,
  fetch: (request: Request, env: UpgradeBindings) => Response | Promise<Response>,
) {
  server.on('upgrade', async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(socket, 400);
    socket.on('error', ignore);
    const env: UpgradeBindings = { incoming: request, outgoing: undefined };
    let response: Response;
    try {
      response = await fetch(fetchRequest(request), env);
    } catch (error) {
      return refuse(socket, error instanceof TypeError ? 400 : 500);
    }
    const { accept } = env;
    if (socket.destroyed) return;
    if (!accept) return refuse(socket, response.status, response.headers);
    const addHeaders = (lines: string[]) => appendHeaders(lines, response.headers);
    wss.on('headers', addHeaders);
    try {
      wss.handleUpgrade(request, socket, head, (ws) => {
        socket.off('error', ignore);
        accept(ws);
      });
    } finally {
      wss.off('headers', addHeaders);
    }
  });
  server.on('close', () => wss.close());
}
