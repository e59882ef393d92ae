import type { ApiClient } from './app.ts';

/** One server-sent event as received. */
export interface ReceivedEvent {
  event: string;
  data: any;
  at: number;
}

/** A live stream read like a browser's EventSource would, with ways to wait for what arrives. */
export interface EventStream {
  status: number;
  events: ReceivedEvent[];
  /** Resolves with the first event (from now or already received after `since`) that matches. */
  next(event: string, match?: (data: any) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server ends the stream. */
  closed: Promise<number>;
  close(): void;
}

/** Opens `path` as an event stream with the client's session. */
export async function openEvents(client: ApiClient, path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(client.baseUrl + path, {
    headers: { accept: 'text/event-stream', ...(client.cookie ? { cookie: client.cookie } : {}), ...headers },
    signal: abort.signal,
  });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  let endedAt: number | undefined;
  const closed = (async () => {
    if (!response.ok || !response.body) return Date.now();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
          if (name) events.push({ event: name, data: JSON.parse(data), at: Date.now() });
          for (const wake of waiters) wake();
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by the test
    }
    endedAt = Date.now();
    for (const wake of waiters) wake();
    return endedAt;
  })();
  let seen = 0;
  const stream: EventStream = {
    status: response.status,
    events,
    closed,
    close: () => abort.abort(),
    next(event, match = () => true, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = seen; i < events.length; i++) {
            const candidate = events[i]!;
            if (candidate.event === event && match(candidate.data)) {
              seen = i + 1;
              cleanup();
              resolve(candidate);
              return;
            }
          }
          if (endedAt !== undefined) {
            cleanup();
            reject(new Error(`stream ended before ${event}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${event} within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
  return stream;
}
