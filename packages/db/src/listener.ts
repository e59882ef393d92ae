import pg from 'pg';

/**
 * A LISTEN connection of its own that comes back: when it drops, it reconnects (250 ms, doubling
 * up to 5 s) and then calls `onReconnect`, because notifications sent meanwhile are lost and the
 * listener must catch up by other means (re-read the log, re-check access).
 */

/** Options for {@link listenForNotifications}. */
export interface ListenerOptions {
  url: string;
  /** `application_name` of the connection, so an operator can tell the listeners apart. */
  name: string;
  channels: string[];
  onNotification(message: pg.Notification): void;
  /** Called after a lost connection was replaced. */
  onReconnect?(): void;
  log: { warn(object: object, message: string): void };
}

/** Starts listening; resolves once it listens. `close` ends the connection for good. */
export async function listenForNotifications(options: ListenerOptions): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closing = false;

  async function listen(): Promise<void> {
    const next = new pg.Client({ connectionString: options.url, application_name: options.name });
    next.on('notification', options.onNotification);
    next.on('error', () => {});
    next.on('end', () => {
      if (closing || client !== next) return;
      client = undefined;
      options.log.warn({ name: options.name }, 'a notification listener lost its connection; reconnecting');
      void reconnect(250);
    });
    await next.connect();
    await next.query(options.channels.map((channel) => `LISTEN ${channel}`).join('; '));
    client = next;
  }

  async function reconnect(delayMs: number): Promise<void> {
    await new Promise((done) => setTimeout(done, delayMs));
    if (closing) return;
    try {
      await listen();
    } catch {
      void reconnect(Math.min(delayMs * 2, 5_000));
      return;
    }
    options.onReconnect?.();
  }

  await listen();
  return {
    async close() {
      closing = true;
      await client?.end().catch(() => {});
    },
  };
}
