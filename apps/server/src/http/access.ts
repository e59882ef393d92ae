import { getConnInfo } from '@hono/node-server/conninfo';
import type { ValidSession } from '@nordraum/auth';
import {
  type AuditRecord,
  type Database,
  findDocumentWithRoom,
  findRoomWithRole,
  type Queryable,
  writeAudit,
} from '@nordraum/db';
import { type Action, AppError, can } from '@nordraum/domain';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import { type ResolvedClient, resolveClient, trustNoProxy } from './proxy-trust.ts';

const viewerOf = (session: ValidSession) => ({
  userId: session.user.id,
  organizationId: session.user.organization.id,
  isAdmin: session.user.isAdmin,
});

/**
 * Loads a room and checks `action` through the permission matrix. A room the user may not even see
 * answers 404, so room ids do not leak; a visible room with too weak a role answers 403.
 */
export async function authorizeRoom(db: Database, session: ValidSession, roomId: string, action: Action) {
  const room = await findRoomWithRole(db, roomId, viewerOf(session));
  const principal = { isAdmin: session.user.isAdmin, roomRole: room?.role ?? null };
  if (!room || !can(principal, 'room.view')) throw new AppError('not_found', 'Room not found.');
  if (!can(principal, action)) throw new AppError('forbidden', 'Your role in this room does not allow this.');
  return room;
}

/** Loads a document and checks `action` on its room, with the same 404/403 rule (one round trip). */
export async function authorizeDocument(db: Database, session: ValidSession, documentId: string, action: Action) {
  const found = await findDocumentWithRoom(db, documentId, viewerOf(session));
  const principal = { isAdmin: session.user.isAdmin, roomRole: found?.room.role ?? null };
  if (!found || !can(principal, 'room.view')) throw new AppError('not_found', 'Document not found.');
  if (!can(principal, action)) throw new AppError('forbidden', 'Your role in this room does not allow this.');
  return found;
}

/**
 * The caller's address: the socket's peer, or, when that peer is a proxy named in `TRUST_PROXY`,
 * the client it forwards for (`X-Forwarded-For`). The one place that decides it: rate limits,
 * the audit log and the metrics guard all ask here.
 */
export function clientAddress(c: Context<AppEnv>): string | null {
  return resolvedClient(c).address;
}

/** `https`/`http` as a trusted proxy reports the client's protocol (`X-Forwarded-Proto`); null without one. */
export function forwardedProtocol(c: Context<AppEnv>): string | null {
  return resolvedClient(c).forwardedProto;
}

function resolvedClient(c: Context<AppEnv>): ResolvedClient {
  const known = c.get('client');
  if (known) return known;
  const client = resolveClient(
    socketPeer(c),
    { forwardedFor: c.req.header('x-forwarded-for'), forwardedProto: c.req.header('x-forwarded-proto') },
    c.get('proxyTrust') ?? trustNoProxy,
  );
  c.set('client', client);
  return client;
}

function socketPeer(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** What a route records about its action; actor and address come from the request. */
export type AuditInput = Omit<AuditRecord, 'ip'>;

/** The audit row of the current request: actor and address are filled in. */
export function auditRecord(c: Context<AppEnv>, record: AuditInput): AuditRecord {
  const session = c.var.session;
  return {
    actorId: session?.user.id ?? null,
    actorEmail: session?.user.email ?? null,
    ip: clientAddress(c),
    ...record,
  };
}

/** Writes an audit row on its own, for events that change nothing (an export); actions use {@link audited}. */
export function audit(db: Database, c: Context<AppEnv>, record: AuditInput) {
  return writeAudit(db, auditRecord(c, record));
}

/**
 * Runs `action` and writes its audit row in one transaction: an action is never kept without its
 * audit entry, and an audit row that cannot be written undoes the action. `record` sees the
 * action's result and may return several rows, or null when nothing happened that needs recording.
 */
export function audited<T>(
  db: Database,
  c: Context<AppEnv>,
  action: (tx: Queryable) => Promise<T>,
  record: (result: T) => AuditInput | readonly AuditInput[] | null,
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await action(tx);
    const entries = record(result) ?? [];
    for (const entry of Array.isArray(entries) ? entries : [entries]) await writeAudit(tx, auditRecord(c, entry));
    return result;
  });
}

export { viewerOf };
