/**
 * Child process: the reference @y/websocket-server (in memory, its defaults), listening on
 * 127.0.0.1 and an ephemeral port. Prints `{"port":N}` once listening; stops on SIGTERM.
 * It runs in its own process because it bundles its own Yjs (14 prerelease).
 */

import { createServer } from 'node:http';
import { createRequire, registerHooks } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

// As installed, @y/websocket-server 0.1.5 builds its documents with its own `yjs` (14.0.0-16) while
// its @y/protocols imports `@y/y` (14.0.0-rc), a second copy whose functions reject those
// documents ("store.getClock is not a function"). Resolve `@y/y` to the server's own `yjs`, so
// that the server runs with one Yjs as its authors intended.
const serverUtils = pathToFileURL(createRequire(import.meta.url).resolve('@y/websocket-server/utils')).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@y/y') return nextResolve('yjs', { ...context, parentURL: serverUtils });
    return nextResolve(specifier, context);
  },
});
const { setupWSConnection } = await import('@y/websocket-server/utils');

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
// Same wiring as the package's own server.js, minus its fixed port.
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => process.exit(0));
