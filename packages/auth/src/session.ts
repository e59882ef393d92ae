import { type Database, perDatabase, type Queryable, tables } from '@nordraum/db';
import { type RoomRole, strongerRole } from '@nordraum/domain';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';

/**
 * Sessions as the lucia-auth.com guide describes them. A token is `<id>.<secret>`: the id finds
 * the row, the secret is stored only as its SHA-256 hash and compared in constant time, so a
 * database leak yields no usable token. Sessions last 30 days and slide: a session used in its
 * second half is extended to 30 days again.
 */

/** Name of the session cookie. */
export const sessionCookieName = 'nordraum_session';
const dayMs = 24 * 60 * 60 * 1000;
/** Session lifetime: 30 days. */
export const sessionLifetimeMs = 30 * dayMs;

const { session, user, organization } = tables;

/** 24 characters of a 32-letter alphabet without look-alikes: 120 bits. */
function randomString(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let out = '';
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

const hashSecret = (secret: string) => sha256(new TextEncoder().encode(secret));

/** Creates a session for a user; returns the token to put into the cookie and when it expires. */
export async function createSession(db: Queryable, userId: string) {
  const id = randomString();
  // 160 bits for the secret, on top of the id's 120.
  const secret = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db.insert(session).values({ id, secretHash: hashSecret(secret), userId, expiresAt });
  return { token: `${id}.${secret}`, id, expiresAt };
}

/**
 * The session row with its user, as a prepared statement: asked on every request and every
 * websocket upgrade, so PostgreSQL parses and plans it once per connection, not each time.
 */
function prepareSessionById(db: Database) {
  return db
    .select(sessionColumns)
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(and(eq(session.id, sql.placeholder('id')), isNull(user.disabledAt)))
    .prepare('nordraum_session_by_id');
}

const sessionColumns = {
  secretHash: session.secretHash,
  expiresAt: session.expiresAt,
  user: {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    locale: user.locale,
    mustChangePassword: user.mustChangePassword,
  },
  organization: { id: organization.id, code: organization.code, name: organization.name },
};

const sessionById = perDatabase(prepareSessionById);

/**
 * The session row as above, plus the room of a document and the roles its user has there by
 * membership and through their organisation: a websocket upgrade and every re-check of an open
 * connection need both, and fifty people opening a document at once made a hundred queries queue
 * on the pool.
 */
function prepareSessionForDocument(db: Database) {
  const documentId = sql.placeholder('documentId');
  return db
    .select({
      ...sessionColumns,
      roomId: sql<string | null>`(select d.room_id from document d where d.id = ${documentId})`,
      memberRole: sql<RoomRole | null>`(select m.role from document d join room_member m on m.room_id = d.room_id
        where d.id = ${documentId} and m.user_id = ${user.id})`,
      grantRole: sql<RoomRole | null>`(select g.role from document d join organization_grant g on g.room_id = d.room_id
        where d.id = ${documentId} and g.organization_id = ${user.organizationId})`,
    })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .innerJoin(organization, eq(organization.id, user.organizationId))
    .where(and(eq(session.id, sql.placeholder('id')), isNull(user.disabledAt)))
    .prepare('nordraum_session_for_document');
}

const sessionForDocument = perDatabase(prepareSessionForDocument);

/** The user a valid session belongs to, as the API shows it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  locale: string;
  /** The password is a start password an administrator chose; only changing it is allowed. */
  mustChangePassword: boolean;
  organization: { id: string; code: string; name: string };
}

/** A validated session; `renewed` tells the caller to send the cookie again. */
export interface ValidSession {
  id: string;
  expiresAt: Date;
  renewed: boolean;
  user: SessionUser;
}

/** The id and secret of a well-formed token. */
function parseToken(token: string): { id: string; secret: string } | null {
  const [id, secret, ...rest] = token.split('.');
  return id && secret && rest.length === 0 && id.length === 24 ? { id, secret } : null;
}

/** Checks a token; `null` for unknown, forged, expired tokens and disabled users. */
export async function validateSessionToken(db: Database, token: string): Promise<ValidSession | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await sessionById(db).execute({ id: parsed.id });
  return accept(db, parsed, row);
}

/** A document's room and the role a session's user has there (null: none); the room is unset when the document does not exist. */
export interface DocumentRole {
  roomId: string | null;
  role: RoomRole | null;
}

/**
 * `validateSessionToken` and the user's role in the room of a document, in one round trip; `null`
 * as there. `documentId` must be a UUID.
 */
export async function validateSessionForDocument(
  db: Database,
  token: string,
  documentId: string,
): Promise<{ session: ValidSession; document: DocumentRole } | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await sessionForDocument(db).execute({ id: parsed.id, documentId });
  const valid = await accept(db, parsed, row);
  if (!valid || !row) return null;
  return { session: valid, document: documentRoleOf(row) };
}

function documentRoleOf(row: { roomId: string | null; memberRole: RoomRole | null; grantRole: RoomRole | null }) {
  return { roomId: row.roomId, role: strongerRole(row.memberRole, row.grantRole) };
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionById>['execute']>>[number];

/** The checks of a token against its row: secret, expiry, and the sliding renewal. */
async function accept(
  db: Database,
  { id, secret }: { id: string; secret: string },
  row: SessionRow | undefined,
): Promise<ValidSession | null> {
  if (!row || !constantTimeEqual(hashSecret(secret), row.secretHash)) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) {
    await invalidateSession(db, id);
    return null;
  }
  let expiresAt = row.expiresAt;
  const renewed = expiresAt.getTime() - now < sessionLifetimeMs / 2;
  if (renewed) {
    expiresAt = new Date(now + sessionLifetimeMs);
    await db.update(session).set({ expiresAt }).where(eq(session.id, id));
  }
  return { id, expiresAt, renewed, user: { ...row.user, organization: row.organization } };
}

/**
 * The user of a session known by id, while it is valid, and their role in the room of a document,
 * in one round trip: for re-checking long-lived connections, which authenticated with the full
 * token when they opened. Never renews. `documentId` must be a UUID.
 */
export async function findSessionForDocument(
  db: Database,
  sessionId: string,
  documentId: string,
): Promise<{ user: SessionUser; document: DocumentRole } | null> {
  const [row] = await sessionForDocument(db).execute({ id: sessionId, documentId });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return { user: { ...row.user, organization: row.organization }, document: documentRoleOf(row) };
}

/** Ends one session (logout). */
export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.delete(session).where(eq(session.id, sessionId));
}

/** Ends every session of a user (disabled account, password changed). */
export async function invalidateUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.delete(session).where(eq(session.userId, userId));
}

/** Ends every session of a user but one (the one that just changed the password). */
export async function invalidateOtherSessions(db: Queryable, userId: string, keepSessionId: string): Promise<void> {
  await db.delete(session).where(and(eq(session.userId, userId), sql`${session.id} <> ${keepSessionId}`));
}

/** Deletes expired sessions; run now and then, validation already refuses them. */
export async function pruneExpiredSessions(db: Database): Promise<void> {
  await db.delete(session).where(lt(session.expiresAt, sql`now()`));
}
