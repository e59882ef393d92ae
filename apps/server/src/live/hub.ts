import { listenForNotifications } from '@nordraum/db';
import { type AccessEvent, affects, ConnectionCounter, defaultSettings, type SyncSettings } from '@nordraum/sync';
import type pg from 'pg';

/**
 * The live channel of comments and notifications, beside /sync (which stays stock y-websocket).
 *
 * Every event goes through PostgreSQL (`pg_notify('nordraum_live', ...)`), also on a single
 * instance, so one path serves one instance or many. This module only routes: it keeps the open
 * streams, hears `nordraum_live` and `nordraum_access` on one listener connection of its own
 * (reconnecting like the sync fan-out), and asks the caller's `check` whether a stream may still
 * receive before anything is sent to it. Payloads on the channel carry ids only; what a stream
 * receives is loaded after its check, never taken from the notification.
 *
 * Events on `nordraum_live`:
 * - `{ kind: "thread", documentId, threadId, deleted? }`: a thread or one of its comments changed.
 * - `{ kind: "notification", userId }`: a person's notifications or unread count changed; every
 *   stream of that person hears it, their document streams included.
 * - `{ kind: "version", documentId, versionId? }`: a version was written (`versionId`), or some
 *   were thinned away (no id).
 */

/** An event on the live channel. */
export type LiveEvent =
  | { kind: 'thread'; documentId: string; threadId: string; deleted?: boolean }
  | { kind: 'notification'; userId: string }
  | { kind: 'version'; documentId: string; versionId?: string };

/** One open stream: whose, about what, and how to reach it. */
export interface LiveStream {
  sessionId: string;
  userId: string;
  organizationId: string;
  /** Set for a document's stream (comments, versions); unset for a person's notification stream. */
  documentId?: string;
  roomId?: string;
  /** Delivers one event; must not throw. */
  deliver(event: LiveEvent): Promise<void>;
  /** Ends the stream (access lost or session ended). */
  end(reason: string): void;
}

/** Options for {@link createLiveHub}. */
export interface LiveHubOptions {
  url: string;
  /** Sends on the channel; a pooled connection. */
  pool: pg.Pool;
  /** Whether a stream may still receive; false ends it. */
  check(stream: LiveStream): Promise<boolean>;
  log: { warn(object: object, message: string): void };
  /** Name of the listener connection, so an operator can tell instances apart. */
  instanceId?: string;
  /**
   * Open streams of one user and from one address: the caps of /sync (default 50 and 200),
   * counted apart from its sockets.
   */
  limits?: Pick<SyncSettings, 'maxConnectionsPerUser' | 'maxConnectionsPerAddress'>;
}

/** Creates the hub and starts listening; resolves once it listens. */
export async function createLiveHub(options: LiveHubOptions) {
  const streams = new Set<LiveStream>();
  const listeners: ((event: LiveEvent) => void)[] = [];
  // Every stream holds a connection, a place in every delivery of its document and, first, a
  // load of the current state: without a cap one member could open them by the thousand.
  const counter = new ConnectionCounter(options.limits ?? defaultSettings);

  async function recheck(targets: Iterable<LiveStream>) {
    await Promise.all(
      [...targets].map(async (stream) => {
        const ok = await options.check(stream).catch(() => false);
        if (!ok && streams.has(stream)) {
          streams.delete(stream);
          stream.end('access');
        }
      }),
    );
  }

  const affected = (event: AccessEvent) => [...streams].filter((stream) => affects(event, stream));

  async function route(event: LiveEvent) {
    // A person's unread count reaches all their streams: a tab with a document open keeps one
    // stream (the document's), as a browser holds only six connections to a host over HTTP/1.1.
    const targets = [...streams].filter((s) =>
      event.kind === 'notification' ? s.userId === event.userId : s.documentId === event.documentId,
    );
    // Access is checked per event: a stream whose person lost the room gets nothing more.
    await recheck(targets);
    await Promise.all(targets.filter((s) => streams.has(s)).map((s) => s.deliver(event)));
  }

  const onNotification = (message: pg.Notification) => {
    try {
      const payload = JSON.parse(message.payload ?? '');
      if (message.channel === 'nordraum_live') for (const listener of listeners) listener(payload as LiveEvent);
      const work = message.channel === 'nordraum_live' ? route(payload as LiveEvent) : recheck(affected(payload));
      work.catch((err) => options.log.warn({ err }, 'a live event could not be delivered'));
    } catch (err) {
      options.log.warn({ err, channel: message.channel }, 'ignoring a notification that does not parse');
    }
  };

  const listener = await listenForNotifications({
    url: options.url,
    name: `nordraum-live-${options.instanceId ?? 'local'}`,
    channels: ['nordraum_live', 'nordraum_access'],
    onNotification,
    // Access changes may have been missed meanwhile.
    onReconnect: () => void recheck(streams),
    log: options.log,
  });
  return {
    /** Announces an event to every instance (this one included). */
    async publish(event: LiveEvent) {
      await options.pool.query("select pg_notify('nordraum_live', $1)", [JSON.stringify(event)]);
    },
    /**
     * An event as the notification {@link publish} sends, for a statement of the caller's to send
     * itself: it is then heard only once that statement's change is committed, and costs no
     * round trip of its own.
     */
    notification: (event: LiveEvent) => ({ channel: 'nordraum_live', payload: JSON.stringify(event) }),
    /**
     * Counts a stream about to open for `userId` from `address`; returns the function that
     * uncounts it (once), or null when the user or the address has the most streams allowed.
     */
    admit(userId: string, address: string | null): (() => void) | null {
      if (!counter.open(userId, address)) return null;
      let counted = true;
      return () => {
        if (counted) counter.release(userId, address);
        counted = false;
      };
    },
    /** Adds a stream; returns the function that removes it. */
    add(stream: LiveStream) {
      streams.add(stream);
      return () => streams.delete(stream);
    },
    /** Calls `listener` for every event on the channel (e.g. to send mail at once). */
    onEvent(listener: (event: LiveEvent) => void) {
      listeners.push(listener);
    },
    /** How many streams are open (for tests and metrics). */
    size: () => streams.size,
    async close() {
      for (const stream of streams) stream.end('shutdown');
      streams.clear();
      await listener.close();
    },
  };
}

/** The live channel's hub. */
export type LiveHub = Awaited<ReturnType<typeof createLiveHub>>;
