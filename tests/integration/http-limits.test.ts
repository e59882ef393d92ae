// Request bodies, slow clients, response headers and /metrics: what an anonymous client can make
// the HTTP server do before anyone has logged in.
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { openRaw } from '../helpers/sync.ts';

const MiB = 1024 * 1024;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    sync: {},
    metricsToken: 'a metrics token of some length',
    httpTimeouts: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 },
  });
});
afterAll(() => app.close());

interface StreamedPost {
  status: number;
  body: string;
  /** Milliseconds from the first byte sent until the answer's headers arrived. */
  answeredAfterMs: number;
  /** Bytes of the body written by the time the server closed the connection (or all of them). */
  bytesSent: number;
}

/**
 * POSTs a body of `totalBytes` from one reused 64 KiB chunk, without ever holding it, and stops
 * writing when the server answers or closes. `chunked` leaves Content-Length out.
 */
function streamPost(path: string, totalBytes: number, chunked = false): Promise<StreamedPost> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let stopped = false;
    const req = request(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: app.origin,
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(totalBytes) }),
      },
    });
    const write = () => {
      while (!stopped && bytesSent < totalBytes) {
        bytesSent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!stopped) req.end();
    };
    req.on('error', () => {
      stopped = true; // the server closed while we were still writing: what we want
    });
    req.on('response', (response) => {
      const answeredAfterMs = performance.now() - started;
      stopped = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, answeredAfterMs, bytesSent }));
      response.on('error', reject);
    });
    req.write('{"email":"a@b.example","password":"');
    write();
  });
}

describe('request bodies', () => {
  it('answers a declared 300 MiB login body with 413 at once, without reading it', async () => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await streamPost('/api/auth/login', 300 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
    expect(answer.answeredAfterMs).toBeLessThan(2_000);
    // The server stopped reading: far less than the body went over the wire.
    expect(answer.bytesSent).toBeLessThan(64 * MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
  });

  it('answers a chunked body with 413 as soon as it passes 1 MiB', async () => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await streamPost('/api/rooms', 300 * MiB, true);
    expect(answer.status).toBe(413);
    expect(answer.bytesSent).toBeLessThan(64 * MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
  });

  it('still accepts a body just under the limit', async () => {
    const user = await app.user('SH');
    const filler = 'x'.repeat(MiB - 200);
    const response = await user.request('PATCH', '/api/me', JSON.stringify({ name: 'Anke', filler }), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
  });
});

describe('slow clients', () => {
  /** Sends the headers and then one byte of body every 200 ms; resolves with what the server answered. */
  function slowBody(): Promise<{ answer: string; afterMs: number }> {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
      let answer = '';
      const drip = setInterval(() => socket.writable && socket.write('x'), 200);
      socket.on('connect', () =>
        socket.write(
          'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
        ),
      );
      socket.on('data', (data) => {
        answer += data.toString();
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(drip);
        resolve({ answer, afterMs: performance.now() - started });
      });
    });
  }

  it('cuts a request whose body trickles in past the request timeout', async () => {
    const { answer, afterMs } = await slowBody();
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(900);
    expect(afterMs).toBeLessThan(5_000);
  });

  it('leaves an open websocket alone past the request timeout', async () => {
    const owner = await app.user('SH');
    const room = (await owner.post('/api/rooms', { name: 'AG Zeit' })).json.room;
    const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind: 'notes', title: 'Protokoll' })).json
      .document;
    const socket = await openRaw({ url: app.url, origin: app.origin, cookie: owner.cookie }, document.id);
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    // Three times the request timeout, so Node's check has run several times.
    await new Promise((done) => setTimeout(done, 3_000));
    const pong = new Promise((done) => socket.once('pong', done));
    socket.ping();
    await pong;
    expect(closed).toBe(false);
    socket.close();
  });
});

describe('response headers', () => {
  it('marks API answers nosniff, no-store and with a referrer policy', async () => {
    const user = await app.user('MV');
    for (const response of [
      await user.get('/api/me'),
      await user.get('/api/rooms'),
      await app.anonymous().get('/api/me'),
    ]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const health = await app.anonymous().get('/healthz');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('/metrics', () => {
  it('answers a caller on this machine', async () => {
    const response = await app.anonymous().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toContain('# TYPE');
  });

  it('refuses a request forwarded by a proxy it does not trust, unless it brings the token', async () => {
    const forwarded = await app.anonymous().request('GET', '/metrics', undefined, { 'x-forwarded-for': '203.0.113.5' });
    expect(forwarded.status).toBe(401);
    expect(forwarded.text).not.toContain('# TYPE');
    const wrong = await app
      .anonymous()
      .request('GET', '/metrics', undefined, { 'x-forwarded-for': '203.0.113.5', authorization: 'Bearer guess' });
    expect(wrong.status).toBe(401);
    const right = await app.anonymous().request('GET', '/metrics', undefined, {
      'x-forwarded-for': '203.0.113.5',
      authorization: 'Bearer a metrics token of some length',
    });
    expect(right.status).toBe(200);
  });

  // Another machine, as far as the server can tell: this machine's own non-loopback address is the
  // source of a connection to it. (A machine with only loopback cannot run this.)
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  it.skipIf(outside === undefined)('refuses a caller from another machine unless it brings the token', async () => {
    const everywhere = await startTestApp({
      sync: {},
      metricsToken: 'a metrics token of some length',
      listenEverywhere: true,
    });
    try {
      const metrics = `http://${outside}:${new URL(everywhere.url).port}/metrics`;
      const remote = await fetch(metrics);
      expect(remote.status).toBe(401);
      expect(remote.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await remote.text()).not.toContain('# TYPE');
      expect((await fetch(metrics, { headers: { authorization: 'Bearer guess' } })).status).toBe(401);
      const right = await fetch(metrics, { headers: { authorization: 'Bearer a metrics token of some length' } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('# TYPE');
      // The same server still answers a caller on this machine without a token.
      expect((await everywhere.anonymous().get('/metrics')).status).toBe(200);
    } finally {
      await everywhere.close();
    }
  });

  it('refuses a remote client behind a trusted proxy', async () => {
    const proxied = await startTestApp({ sync: {}, trustProxy: ['127.0.0.1'] });
    try {
      const remote = await proxied
        .anonymous()
        .request('GET', '/metrics', undefined, { 'x-forwarded-for': '203.0.113.5' });
      expect(remote.status).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it('asks browsers to keep to https only when a trusted proxy says the client came over https', async () => {
    const hsts = 'strict-transport-security';
    const proxied = await startTestApp({ trustProxy: ['127.0.0.1'] });
    try {
      const overHttps = await proxied
        .anonymous()
        .request('GET', '/readyz', undefined, { 'x-forwarded-proto': 'https' });
      expect(overHttps.headers.get(hsts)).toBe('max-age=31536000');
      const api = await proxied.anonymous().request('GET', '/api/me', undefined, { 'x-forwarded-proto': 'https' });
      expect(api.headers.get(hsts)).toBe('max-age=31536000');
      const overHttp = await proxied.anonymous().request('GET', '/readyz', undefined, { 'x-forwarded-proto': 'http' });
      expect(overHttp.headers.get(hsts)).toBeNull();
    } finally {
      await proxied.close();
    }
    // From a peer that is no trusted proxy, the header is ignored.
    const forged = await app.anonymous().request('GET', '/readyz', undefined, { 'x-forwarded-proto': 'https' });
    expect(forged.status).toBe(200);
    expect(forged.headers.get(hsts)).toBeNull();
  });
});
