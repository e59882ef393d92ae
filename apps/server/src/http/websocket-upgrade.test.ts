import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { serveUpgrades, type UpgradeBindings } from './websocket-upgrade.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server whose app takes sockets on /echo (echoing frames) and refuses /busy with 429. */
async function start(): Promise<string> {
  const app = new Hono<{ Bindings: UpgradeBindings }>();
  app.get('/echo', (c) => {
    c.env.accept = (ws) => ws.on('message', (data) => ws.send(data));
    return new Response(null, { headers: { 'x-served-by': 'nordraum' } });
  });
  app.get('/busy', () => new Response('busy', { status: 429, headers: { 'retry-after': '5' } }));
  server = createServer((_request, response) => response.end());
  serveUpgrades(server, new WebSocketServer({ noServer: true }), (request, env) => app.fetch(request, env));
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serveUpgrades', () => {
  it('hands the socket to the route that accepts it, with the headers of its answer', async () => {
    const host = await start();
    const ws = new WebSocket(`ws://${host}/echo`);
    const headers = new Promise<Record<string, unknown>>((done) => ws.once('upgrade', (r) => done(r.headers)));
    await new Promise((done) => ws.once('open', done));
    ws.send(Buffer.from([1, 2, 3]));
    const echoed = await new Promise<Buffer>((done) => ws.once('message', (data) => done(data as Buffer)));
    expect([...echoed]).toEqual([1, 2, 3]);
    expect((await headers)['x-served-by']).toBe('nordraum');
    ws.close();
  });

  it("answers a refusal with the app's status and headers, and no socket opens", async () => {
    const host = await start();
    const ws = new WebSocket(`ws://${host}/busy`);
    const response = await new Promise<{ status?: number; retry: unknown }>((done) =>
      ws.once('unexpected-response', (_request, r) => done({ status: r.statusCode, retry: r.headers['retry-after'] })),
    );
    expect(response).toEqual({ status: 429, retry: '5' });
  });

  it('answers 400 to an upgrade to anything but a websocket', async () => {
    const host = await start();
    const [hostname, port] = host.split(':');
    const status = await new Promise<number | undefined>((done) => {
      const request = httpRequest({
        hostname,
        port,
        path: '/echo',
        headers: { connection: 'upgrade', upgrade: 'h2c' },
      });
      request.on('response', (r) => done(r.statusCode));
      request.on('upgrade', () => done(101));
      request.end();
    });
    expect(status).toBe(400);
  });
});
