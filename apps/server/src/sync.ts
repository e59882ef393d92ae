import {
  type DocumentRole,
  findSessionForDocument,
  sessionCookieName,
  type ValidSession,
  validateSessionForDocument,
  validateSessionToken,
} from '@nordraum/auth';
import { type Database, findDocument } from '@nordraum/db';
import { can, closeCodes } from '@nordraum/domain';
import {
  type Access,
  AccessCache,
  ConnectionCounter,
  type ConnectionIdentity,
  type SyncServer,
  type SyncSocket,
} from '@nordraum/sync';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { WebSocket } from 'ws';
import { clientAddress } from './http/access.ts';
import type { AppEnv } from './http/context.ts';
import type { UpgradeBindings } from './http/websocket-upgrade.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SyncEnv = AppEnv & { Variables: { identity: ConnectionIdentity; address: string | null } };

/**
 * What a user may do on a document, given its room, their role there and whether it is archived:
 * what the upgrade and every re-check decide on. An archived document is read-only for everyone
 * until it is restored.
 */
function accessOf(
  user: ValidSession['user'],
  found: DocumentRole | undefined,
  archived: boolean,
): Access & { roomId?: string } {
  if (!found?.roomId) return { ok: false, code: closeCodes.notFound, reason: 'document not found' };
  const principal = { isAdmin: user.isAdmin, roomRole: found.role };
  if (!can(principal, 'document.read'))
    return { ok: false, code: closeCodes.forbidden, reason: 'no access to this document' };
  return { ok: true, canWrite: !archived && can(principal, 'document.write'), roomId: found.roomId };
}

/** Whether a document is archived; asked beside the session's query, so it adds no round trip. */
async function isArchived(db: Database, documentId: string): Promise<boolean> {
  return (await findDocument(db, documentId))?.archivedAt != null;
}

/** Re-checks an open connection: session still valid, role still sufficient. */
export function reauthorizer(db: Database) {
  return async (identity: ConnectionIdentity): Promise<Access> => {
    const [found, archived] = await Promise.all([
      findSessionForDocument(db, identity.sessionId, identity.documentId),
      isArchived(db, identity.documentId),
    ]);
    if (!found) return { ok: false, code: closeCodes.unauthorized, reason: 'session ended' };
    // The organisation may have changed; grants follow it.
    const { id, code } = found.user.organization;
    return { ...accessOf(found.user, found.document, archived), organization: { id, code } };
  };
}

const refuse = (status: 401 | 403 | 404 | 429, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/**
 * The upgrade's lookups, shared by a burst of upgrades: a session's role on a document, and
 * whether a document is archived. Every access event empties both (see AccessCache).
 */
function upgradeLookups(db: Database, sync: SyncServer) {
  const sessions = new AccessCache<Awaited<ReturnType<typeof validateSessionForDocument>>>(sync.settings.accessCacheMs);
  const archived = new AccessCache<boolean>(sync.settings.accessCacheMs);
  sync.onAccessEvent(() => {
    sessions.clear();
    archived.clear();
  });
  return {
    // Session and role in one round trip: everyone in a meeting opens the document at once.
    session: (token: string, documentId: string) =>
      sessions.get(`${documentId} ${token}`, () => validateSessionForDocument(db, token, documentId)),
    archived: (documentId: string) => archived.get(documentId, () => isArchived(db, documentId)),
  };
}

/**
 * Authorises the upgrade before any socket exists: Origin equal to one of ours (compared with the
 * configuration, never with the Host header), the session cookie (never a token in the URL), and
 * a role on the document's room. Refusals are plain HTTP answers.
 */
function authorizeUpgrade(
  db: Database,
  sync: SyncServer,
  allowedOrigins: string[],
  counter: ConnectionCounter,
): MiddlewareHandler<SyncEnv> {
  const allowed = new Set(allowedOrigins);
  const lookups = upgradeLookups(db, sync);
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || !allowed.has(origin)) return refuse(403, 'forbidden', 'Origin not allowed.');
    const token = getCookie(c, sessionCookieName);
    const documentId = c.req.param('documentId') ?? '';
    if (!token) return refuse(401, 'unauthenticated', 'Please log in.');
    if (!uuidPattern.test(documentId)) {
      const session = await validateSessionToken(db, token);
      return session
        ? refuse(404, 'not_found', 'Document not found.')
        : refuse(401, 'unauthenticated', 'Please log in.');
    }
    // An access change announced from here on reaches the socket once it is connected.
    const checkedAt = sync.accessEpoch();
    const [found, archived] = await Promise.all([lookups.session(token, documentId), lookups.archived(documentId)]);
    if (!found) return refuse(401, 'unauthenticated', 'Please log in.');
    const { session } = found;
    if (session.user.mustChangePassword)
      return refuse(403, 'password_change_required', 'Please set your own password first.');
    const access = accessOf(session.user, found.document, archived);
    if (!access.ok)
      return access.code === closeCodes.notFound
        ? refuse(404, 'not_found', 'Document not found.')
        : refuse(403, 'forbidden', 'No access to this document.');
    // clientAddress reads only the connection (and proxy headers), none of SyncEnv's variables.
    const address = clientAddress(c as unknown as Context<AppEnv>);
    if (!counter.allows(session.user.id, address))
      return refuse(429, 'too_many_connections', 'Too many open connections; close some tabs and try again.');
    c.set('address', address);
    sync.prefetch(documentId);
    c.set('identity', {
      sessionId: session.id,
      userId: session.user.id,
      userName: session.user.name,
      organizationId: session.user.organization.id,
      organizationCode: session.user.organization.code,
      documentId,
      roomId: access.roomId!,
      canWrite: access.canWrite,
      checkedAt,
    });
    return next();
  };
}

/** A frame as the protocol sees it: bytes, or a string for a text frame (which it refuses). */
function frame(data: WebSocket.RawData, isBinary: boolean): Uint8Array | string {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  return isBinary ? bytes : Buffer.from(bytes).toString('utf8');
}

/** The sync server's view of a `ws` socket; a class, so that a socket costs no closures of its own. */
class WsSyncSocket implements SyncSocket {
  readonly #ws: WebSocket;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  send(data: Uint8Array) {
    this.#ws.send(data);
  }

  close(code: number, reason: string) {
    this.#ws.close(code, reason);
  }

  pause() {
    this.#ws.pause();
  }

  resume() {
    this.#ws.resume();
  }

  bufferedAmount() {
    return this.#ws.bufferedAmount;
  }

  terminate() {
    this.#ws.terminate();
  }
}

/**
 * Pings every open socket each interval; one that has not answered the previous ping (a stock
 * client, and every browser, answers by itself) is dead or half-open and is dropped.
 */
function createHeartbeat(sync: SyncServer) {
  const answered = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [raw, alive] of answered) {
      if (!alive) {
        sync.metrics.reject('heartbeat_missed');
        answered.delete(raw);
        raw.terminate();
        continue;
      }
      answered.set(raw, false);
      raw.ping();
    }
  }, sync.settings.heartbeatMs);
  timer.unref();
  // One listener for every socket (ws calls it on the socket): no closure per socket.
  function pong(this: WebSocket) {
    if (answered.has(this)) answered.set(this, true);
  }
  return {
    watch(raw: WebSocket) {
      answered.set(raw, true);
      raw.on('pong', pong);
    },
    forget: (raw: WebSocket) => answered.delete(raw),
  };
}

const ignore = () => {};

/** `/sync/:documentId` (websocket) and `/metrics` (Prometheus). */
export function syncRoutes(db: Database, sync: SyncServer, allowedOrigins: string[]) {
  const app = new Hono<SyncEnv>();
  const counter = new ConnectionCounter(sync.settings);
  const heartbeat = createHeartbeat(sync);
  const open = (identity: ConnectionIdentity, address: string | null) => (ws: WebSocket) => {
    // Upgrades checked at once all passed the check before any of them was counted.
    if (!counter.open(identity.userId, address)) {
      sync.metrics.reject('too_many_connections');
      ws.on('error', ignore);
      ws.close(closeCodes.tryAgainLater, 'too many connections');
      return;
    }
    const connection = sync.connect(new WsSyncSocket(ws), identity);
    heartbeat.watch(ws);
    // ws reports a frame over maxPayload and other protocol errors here, then closes the socket.
    ws.on('error', ignore);
    ws.on('message', (data, isBinary) => connection.message(frame(data, isBinary)));
    ws.on('close', () => {
      heartbeat.forget(ws);
      counter.release(identity.userId, address);
      connection.closed();
    });
  };
  app.get('/sync/:documentId', authorizeUpgrade(db, sync, allowedOrigins, counter), (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next();
    const env = c.env as Partial<UpgradeBindings>;
    if (!env.incoming) return c.json({ error: { code: 'internal', message: 'No websocket here.' } }, 500);
    // What the socket keeps is the identity, its address and these functions; not the request.
    env.accept = open(c.get('identity'), c.get('address'));
    return new Response(null);
  });
  // A document id is one path segment: `/sync/` and `/sync/<id>/` name no document.
  app.all('/sync', (c) => c.json({ error: { code: 'not_found', message: 'Document not found.' } }, 404));
  app.all('/sync/*', (c) => c.json({ error: { code: 'not_found', message: 'Document not found.' } }, 404));
  app.get('/metrics', (c) => c.text(sync.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}
