import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../http/context.ts';
import type { LiveHub, LiveStream } from './hub.ts';
import { maxPendingEvents, serveLiveStream } from './sse.ts';

/** A hub that hands out the one stream added to it, and tells whether it was removed again. */
function oneStreamHub() {
  const hub = { stream: null as LiveStream | null, removed: false };
  const add = (stream: LiveStream) => {
    hub.stream = stream;
    return () => {
      hub.removed = true;
    };
  };
  return { hub, live: { add, admit: () => () => {} } as unknown as LiveHub };
}

const settle = (work: Promise<unknown>, ms: number) =>
  Promise.race([work.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('waiting'), ms))]);

describe('a live stream whose client does not read', () => {
  it(`is ended after ${maxPendingEvents} events wait for it, instead of keeping every later one`, async () => {
    const { hub, live } = oneStreamHub();
    const app = new Hono<AppEnv>().get('/events', (c) =>
      serveLiveStream(c, {
        hub: live,
        who: { sessionId: 's', userId: 'u', organizationId: 'o', documentId: 'd' },
        initial: async () => [],
        render: async () => ({ event: 'thread', data: { body: 'x'.repeat(10_000) } }),
        heartbeatMs: 60_000,
      }),
    );
    // The answer's body is never read: every write waits, as for a client that stopped reading.
    const response = await app.request('/events');
    while (!hub.stream) await new Promise((resolve) => setTimeout(resolve, 5));
    const deliveries = Array.from({ length: maxPendingEvents * 3 }, () =>
      hub.stream!.deliver({ kind: 'thread', documentId: 'd', threadId: 't' }),
    );
    // Deliveries do not wait on the client for ever (the hub awaits them for every event).
    expect(await settle(Promise.all(deliveries), 2_000)).toBe('done');
    expect(hub.removed).toBe(true);
    // The answer ends, so the connection is let go and an EventSource starts again from the state.
    const body = response.body!.getReader();
    const drained = (async () => {
      while (!(await body.read()).done);
    })();
    expect(await settle(drained, 2_000)).toBe('done');
  });
});
