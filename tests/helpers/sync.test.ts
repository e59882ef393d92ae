import { describe, expect, it } from 'vitest';
import { connectClient } from './sync.ts';

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
});
