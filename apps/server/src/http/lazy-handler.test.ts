import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeHandler } from './context.ts';
import { lazyHandler } from './lazy-handler.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function serve(handler: NodeHandler): Promise<string> {
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const answering: NodeHandler = (request, response) => response.end(`page ${request.url}`);

describe('lazyHandler', () => {
  it('loads the handler on the first request, once for requests that arrive while it loads', async () => {
    let loads = 0;
    let release!: () => void;
    const loaded = new Promise<void>((done) => (release = done));
    const url = await serve(
      lazyHandler(
        async () => {
          loads += 1;
          await loaded;
          return answering;
        },
        () => {},
      ),
    );
    expect(loads).toBe(0);
    const first = [fetch(`${url}/a`), fetch(`${url}/b`)];
    await new Promise((done) => setTimeout(done, 20));
    release();
    expect(await Promise.all(first.map(async (r) => (await r).text()))).toEqual(['page /a', 'page /b']);
    expect(await (await fetch(`${url}/c`)).text()).toBe('page /c');
    expect(loads).toBe(1);
  });

  it('answers 500 when loading fails, tells why, and tries again on the next request', async () => {
    const errors: unknown[] = [];
    let loads = 0;
    const url = await serve(
      lazyHandler(
        async () => {
          loads += 1;
          if (loads === 1) throw new Error('build missing');
          return answering;
        },
        (error) => errors.push(error),
      ),
    );
    expect((await fetch(`${url}/a`)).status).toBe(500);
    expect(errors).toEqual([new Error('build missing')]);
    const retried = await fetch(`${url}/a`);
    expect([retried.status, await retried.text()]).toEqual([200, 'page /a']);
  });
});
