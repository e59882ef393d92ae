import { upgradeWebSocket, type WebSocketData, type WebSocketLike } from '@hono/node-server';
import {
  type DocumentRole,
  findSessionForDocument,
  sessionCookieName,
  type ValidSession,
  validateSessionForDocument,
  validateSessionToken,
} from '@nordraum/auth';
import type { Database } from '@nordraum/db';
import { can } from '@nordraum/domain';
import type { Access, ConnectionIdentity, SyncServer, SyncSocket } from '@nordraum/sync';
import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { WSContext } from 'hono/ws';
import type { AppEnv } from './http/context.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SyncEnv = AppEnv & { Variables: { identity: ConnectionIdentity } };

/** What a user may do on a document, given its room and their role there: what the upgrade and every re-check decide on. */
function accessOf(user: ValidSession['user'], found: DocumentRole | undefined): Access & { roomId?: string } {
  if (!found?.roomId) return { ok: false, code: 4404, reason: 'document not found' };
  const principal = { isAdmin: user.isAdmin, roomRole: found.role };
  if (!can(principal, 'document.read')) return { ok: false, code: 4403, reason: 'no access to this document' };
  return { ok: true, canWrite: can(principal, 'document.write'), roomId: found.roomId };
}

/** Re-checks an open connection: session still valid, role still sufficient. */
export function reauthorizer(db: Database) {
  return async (identity: ConnectionIdentity): Promise<Access> => {
    const found = await findSessionForDocument(db, identity.sessionId, identity.documentId);
    if (!found) return { ok: false, code: 4401, reason: 'session ended' };
    // The organisation may have changed; grants follow it.
    const { id, code } = found.user.organization;
    return { ...accessOf(found.user, found.document), organization: { id, code } };
  };
}

const refuse = (status: 401 | 403 | 404, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/**
 * Authorises the upgrade before any socket exists: Origin equal to one of ours (compared with the
 * configuration, never with the Host header), the session cookie (never a token in the URL), and
 * a role on the document's room. Refusals are plain HTTP answers.
 */
function authorizeUpgrade(db: Database, sync: SyncServer, allowedOrigins: string[]): MiddlewareHandler<SyncEnv> {
  const allowed = new Set(allowedOrigins);
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
    // Session and role in one round trip: everyone in a meeting opens the document at once.
    const found = await validateSessionForDocument(db, token, documentId);
    if (!found) return refuse(401, 'unauthenticated', 'Please log in.');
    const { session } = found;
    if (session.user.mustChangePassword)
      return refuse(403, 'password_change_required', 'Please set your own password first.');
    const access = accessOf(session.user, found.document);
    if (!access.ok)
      return access.code === 4404
        ? refuse(404, 'not_found', 'Document not found.')
        : refuse(403, 'forbidden', 'No access to this document.');
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

/** The `ws` socket under Hono's context: frames are read from it directly (see syncRoutes). */
type RawSocket = WebSocketLike & { _socket?: { pause(): void; resume(): void } };

/** A frame as the protocol sees it: bytes, or a string for a text frame (which it refuses). */
function frame(data: WebSocketData, isBinary: boolean): Uint8Array | string {
  if (!isBinary) return typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return typeof data === 'string' ? data : Buffer.concat(data);
}

function socketOf(ws: WSContext): SyncSocket {
  const raw = ws.raw as RawSocket;
  return {
    send: (data) => raw.send(data),
    close: (code, reason) => ws.close(code, reason),
    pause: () => raw._socket?.pause(),
    resume: () => raw._socket?.resume(),
  };
}

/** `/sync/:documentId` (websocket) and `/metrics` (Prometheus). */
export function syncRoutes(db: Database, sync: SyncServer, allowedOrigins: string[]) {
  const app = new Hono<SyncEnv>();
  app.get(
    '/sync/:documentId',
    authorizeUpgrade(db, sync, allowedOrigins),
    upgradeWebSocket((c) => {
      const identity = c.get('identity');
      let handlers: ReturnType<SyncServer['connect']> | undefined;
      // No onMessage: Hono would copy every frame into a fresh ArrayBuffer inside a MessageEvent.
      // Frames are read from the ws socket itself, listening from onOpen on, which Hono calls in
      // the same tick as it starts listening, so no frame can arrive before.
      return {
        onOpen: (_event, ws) => {
          const connection = sync.connect(socketOf(ws), identity);
          handlers = connection;
          (ws.raw as RawSocket).on('message', (data, isBinary) => connection.message(frame(data, isBinary)));
        },
        onClose: () => handlers?.closed(),
      };
    }),
  );
  app.get('/metrics', (c) => c.text(sync.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}
