import { AppError } from '@nordraum/domain';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { clientAddress } from '../http/access.ts';
import type { AppEnv } from '../http/context.ts';
import type { LiveEvent, LiveHub, LiveStream } from './hub.ts';

/** One server-sent event: its name and JSON data. */
export interface SentEvent {
  event: string;
  data: unknown;
}

/**
 * Events a stream keeps waiting for a client that does not read them: 100. A client that stopped
 * reading (a suspended laptop, or someone who never reads) held every later event in memory, each
 * a whole thread of up to 10,000-character comments, and the delivery to every other stream of the
 * document waited on it. Past the limit the stream is ended; an EventSource connects again and
 * starts from the current state.
 */
export const maxPendingEvents = 100;

/** Options for {@link serveLiveStream}. */
export interface LiveStreamOptions {
  hub: LiveHub;
  who: Omit<LiveStream, 'deliver' | 'end'>;
  /** What the stream sends first (the current state), after its access was checked. */
  initial(): Promise<SentEvent[]>;
  /** Turns a live event into what this stream sends; null sends nothing. */
  render(event: LiveEvent): Promise<SentEvent | null>;
  /** Comment lines keep proxies from closing an idle stream; default every 25_000 ms. */
  heartbeatMs?: number;
}

/**
 * Answers with a `text/event-stream` that receives the hub's events until the client goes away or
 * the hub ends it (access lost: the event `end` with the reason, then the stream closes, so an
 * `EventSource` reconnects and is refused with 401/403/404 from then on). A user or an address
 * with the most streams allowed open (the hub's limits) is answered 429.
 */
export function serveLiveStream(c: Context<AppEnv>, options: LiveStreamOptions) {
  const uncount = options.hub.admit(options.who.userId, clientAddress(c));
  if (!uncount) {
    throw new AppError('rate_limited', 'Too many open connections; close some tabs and try again.', {
      retryAfterSeconds: 5,
    });
  }
  return streamSSE(c, async (stream) => {
    let finish!: () => void;
    const finished = new Promise<void>((done) => {
      finish = done;
    });
    // Writes are queued so that events reach the client in the order they happened.
    let queue = Promise.resolve();
    let pending = 0;
    const send = (message: SentEvent) => {
      if (stream.aborted) return queue;
      if (pending >= maxPendingEvents) {
        // The waiting writes fail at once (and the queue empties), and the answer ends.
        stream.abort();
        finish();
        return queue;
      }
      pending += 1;
      queue = queue
        .then(() => stream.writeSSE({ event: message.event, data: JSON.stringify(message.data) }))
        .then(
          () => {
            pending -= 1;
          },
          () => finish(),
        );
      return queue;
    };
    const live: LiveStream = {
      ...options.who,
      async deliver(event) {
        const message = await options.render(event).catch(() => null);
        if (message) await send(message);
      },
      end(reason) {
        void send({ event: 'end', data: { reason } }).finally(finish);
      },
    };
    const remove = options.hub.add(live);
    stream.onAbort(() => finish());
    const heartbeat = setInterval(() => {
      queue = queue
        .then(() => stream.write(': keep-alive\n\n'))
        .then(
          () => undefined,
          () => finish(),
        );
    }, options.heartbeatMs ?? 25_000);
    try {
      for (const message of await options.initial()) await send(message);
      await finished;
    } finally {
      clearInterval(heartbeat);
      remove();
      uncount();
    }
  });
}
