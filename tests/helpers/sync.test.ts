import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectClient } from './sync.ts';

const tests = fileURLToPath(new URL('..', import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe("the tests' stock y-websocket clients", () => {
  it('add no process exit listener each, so a dozen in one test process draw no leak warning', () => {
    const before = process.listenerCount('exit');
    // Nobody listens on the discard port: the clients only try to connect.
    const target = { url: 'http://127.0.0.1:9', origin: 'http://127.0.0.1:9', cookie: undefined };
    const clients = Array.from({ length: 12 }, (_, index) => connectClient(target, `document-${index}`));
    try {
      expect(process.listenerCount('exit')).toBe(before);
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  it('are all built by the helpers, which take the listener off', () => {
    const own = sources(tests)
      .filter((path) => !path.endsWith('helpers/sync.ts') && !path.endsWith('helpers/sync.test.ts'))
      .filter((path) => readFileSync(path, 'utf8').includes('new WebsocketProvider('))
      .map((path) => relative(tests, path));
    expect(own).toEqual([]);
  });
});
