import { listenForNotifications } from '@nordraum/db';
import type pg from 'pg';
import type { AccessEvent } from './access-event.ts';

export type { AccessEvent } from './access-event.ts';

/**
 * Fan-out between Nordraum instances over PostgreSQL's LISTEN/NOTIFY, so operators run one engine.
 *
 * Channels:
 * - `nordraum_doc`: sent by the update log's commit (see store.ts): which entries a document got,
 *   with the merged update inline when it is small. Receivers apply it, or read the log when the
 *   update is not inline or an earlier announcement was missed.
 * - `nordraum_awareness`: cursor and presence changes of one instance's clients.
 * - `nordraum_access`: sent by database triggers when memberships, grants, sessions or users
 *   change, whoever changed them; receivers re-check the connections concerned.
 * A dropped listener reconnects; then every loaded document is repaired from the log and every
 * connection re-checked, since announcements may have been missed meanwhile.
 */

/** New entries in a document's update log, as another instance committed them. */
export interface DocumentAnnouncement {
  instanceId: string;
  documentId: string;
  lastSeq: number;
  count: number;
  /** Commit time on the sender, ms since the epoch (for the lag metric). */
  committedAt: number;
  /** The entries' updates in order, when they were small enough to travel inline. */
  updates: Uint8Array[] | undefined;
}

/** Cross-instance messages the sync server listens to and sends. */
export interface Fanout {
  onAnnouncement(handler: (announcement: DocumentAnnouncement) => void): void;
  onAwareness(handler: (documentId: string, update: Uint8Array) => void): void;
  onAccess(handler: (event: AccessEvent) => void): void;
  onReconnect(handler: () => void): void;
  publishAwareness(documentId: string, update: Uint8Array): void;
  close(): Promise<void>;
}

/** Options for {@link createPostgresFanout}. */
export interface PostgresFanoutOptions {
  url: string;
  pool: pg.Pool;
  instanceId: string;
  log: { warn(object: object, message: string): void };
  /**
   * Whether this instance tells others about its clients' presence; default true. False only
   * where no other instance can use the database (the embedded PostgreSQL). Access changes are
   * heard either way: the database announces them.
   */
  announce?: boolean;
}

const maxPayload = 7_900;

/** LISTEN/NOTIFY implementation; resolves once listening. */
export async function createPostgresFanout(options: PostgresFanoutOptions): Promise<Fanout> {
  const announcementHandlers: ((announcement: DocumentAnnouncement) => void)[] = [];
  const awarenessHandlers: ((documentId: string, update: Uint8Array) => void)[] = [];
  const accessHandlers: ((event: AccessEvent) => void)[] = [];
  const reconnectHandlers: (() => void)[] = [];

  const ownPrefix = `{"i":"${options.instanceId}"`;
  const onNotification = (message: pg.Notification) => {
    try {
      if (message.channel === 'nordraum_doc') {
        // Every commit of our own comes back too; skip it before paying for JSON.parse.
        if (message.payload?.startsWith(ownPrefix)) return;
        const p = JSON.parse(message.payload ?? '') as {
          i: string;
          d: string;
          c: number;
          t: number;
          l: number;
          u: string;
        };
        const announcement = {
          instanceId: p.i,
          documentId: p.d,
          count: p.c,
          committedAt: p.t,
          lastSeq: p.l,
          updates: p.u ? p.u.split(',').map((part) => new Uint8Array(Buffer.from(part, 'base64'))) : undefined,
        };
        for (const handler of announcementHandlers) handler(announcement);
      } else if (message.channel === 'nordraum_awareness') {
        const [instanceId, documentId, data] = (message.payload ?? '').split('|');
        if (instanceId === options.instanceId || !documentId || !data) return;
        for (const handler of awarenessHandlers) handler(documentId, new Uint8Array(Buffer.from(data, 'base64')));
      } else if (message.channel === 'nordraum_access') {
        const event = JSON.parse(message.payload ?? '') as AccessEvent;
        for (const handler of accessHandlers) handler(event);
      }
    } catch (error) {
      options.log.warn({ err: error, channel: message.channel }, 'ignoring a notification that does not parse');
    }
  };

  let outgoing: string[] = [];
  function sendAwareness() {
    const payloads = outgoing;
    outgoing = [];
    options.pool
      .query({
        name: 'nordraum_publish_awareness',
        text: "SELECT pg_notify('nordraum_awareness', payload) FROM unnest($1::text[]) AS payload",
        values: [payloads],
      })
      .catch((error: Error) => options.log.warn({ err: error }, 'presence could not be sent to the other instances'));
  }

  const listener = await listenForNotifications({
    url: options.url,
    // Named, so an operator (or a test) can tell the listeners of the instances apart.
    name: `nordraum-listen-${options.instanceId}`,
    channels: ['nordraum_doc', 'nordraum_awareness', 'nordraum_access'],
    onNotification,
    onReconnect: () => {
      for (const handler of reconnectHandlers) handler();
    },
    log: options.log,
  });
  return {
    onAnnouncement: (handler) => announcementHandlers.push(handler),
    onAwareness: (handler) => awarenessHandlers.push(handler),
    onAccess: (handler) => accessHandlers.push(handler),
    onReconnect: (handler) => reconnectHandlers.push(handler),
    publishAwareness(documentId, update) {
      if (options.announce === false) return;
      const payload = `${options.instanceId}|${documentId}|${Buffer.from(update).toString('base64')}`;
      // Presence is best effort: a state too large for NOTIFY stays on this instance.
      if (payload.length > maxPayload) return;
      outgoing.push(payload);
      // Clients renew their presence together (every 15 s, from when they connected): what one
      // turn of the event loop produced goes out in one query, not one pooled connection each.
      if (outgoing.length === 1) setImmediate(sendAwareness);
    },
    close: () => listener.close(),
  };
}
