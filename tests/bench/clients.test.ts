import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectYWebsocket, webSocketWithHeaders } from '../../scripts/bench/clients.ts';

describe("a benchmark's y-websocket clients", () => {
  it('add no process exit listener each, so dozens in one process draw no leak warning', () => {
    const before = process.listenerCount('exit');
    // Nobody listens on the discard port: the clients only try to connect.
    const clients = Array.from({ length: 12 }, (_, index) =>
      connectYWebsocket('ws://127.0.0.1:9', `bench-${index}`, new Y.Doc(), webSocketWithHeaders({})),
    );
    try {
      expect(process.listenerCount('exit')).toBe(before);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
