import { sessionCookieName, type ValidSession, validateSessionToken } from '@nordraum/auth';
import type { Database } from '@nordraum/db';
import { AppError } from '@nordraum/domain';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the public origin is https. */
export function setSessionCookie(c: Context<AppEnv>, publicOrigin: string, token: string, expiresAt: Date) {
  setCookie(c, sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: publicOrigin.startsWith('https:'),
    expires: expiresAt,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>, publicOrigin: string) {
  deleteCookie(c, sessionCookieName, { path: '/', secure: publicOrigin.startsWith('https:') });
}

/** Resolves the session from the cookie on every request, renewing the cookie when the session slid. */
export function loadSession(db: Database, publicOrigin: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, sessionCookieName);
    const session = token ? await validateSessionToken(db, token) : null;
    if (token && !session) clearSessionCookie(c, publicOrigin);
    if (token && session?.renewed) setSessionCookie(c, publicOrigin, token, session.expiresAt);
    c.set('session', session);
    if (session) c.set('log', c.var.log.child({ userId: session.user.id }));
    return next();
  };
}

/** The current session, or 401. */
export function requireSession(c: Context<AppEnv>): ValidSession {
  const session = c.var.session;
  if (!session) throw new AppError('unauthenticated', 'Please log in.');
  return session;
}

/** The current session of an admin, or 401/403. */
export function requireAdmin(c: Context<AppEnv>): ValidSession {
  const session = requireSession(c);
  if (!session.user.isAdmin) throw new AppError('forbidden', 'Only administrators may do this.');
  return session;
}

/** What a person with a start password may still do: see who they are, change it, log out. */
const allowedWithStartPassword = new Set([
  'GET /api/me',
  'POST /api/me/password',
  'PATCH /api/me/password',
  'POST /api/auth/login',
  'POST /api/auth/logout',
]);

/**
 * Refuses every other API request of a session whose password an administrator chose, with
 * `password_change_required` (403), until the person has set their own: the administrator must
 * not be able to act as them. Requests without a session pass on to their own checks.
 */
export function requireOwnPassword(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.var.session;
    if (session?.user.mustChangePassword && !allowedWithStartPassword.has(`${c.req.method} ${c.req.path}`)) {
      throw new AppError('password_change_required', 'Please set your own password first.');
    }
    return next();
  };
}
