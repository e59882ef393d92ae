import {
  blockedFor,
  createSession,
  hashPassword,
  invalidateOtherSessions,
  invalidateSession,
  type Limit,
  recordFailure,
  resetLimit,
  verifyPassword,
} from '@nordraum/auth';
import { findCredentials, findUserById, toPublicUser, updateUser, writeAudit } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit, clientAddress } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { clearSessionCookie, requireSession, setSessionCookie } from '../http/session.ts';

const defaultLimits = { perAccount: 10, perAddress: 50, windowSeconds: 15 * 60 };
const userResponse = z.object({ user: schemas.user });

/** Login, logout and the current user. */
export function authRoutes(deps: AppDependencies) {
  const { db, publicOrigin } = deps;
  const limits = deps.loginLimits ?? defaultLimits;
  const app = new Hono<AppEnv>();

  app.post(
    '/auth/login',
    describe('Log in; sets the session cookie', 'auth', { 200: userResponse, 429: schemas.errorBody }),
    valid('json', schemas.loginBody),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const ip = clientAddress(c) ?? 'unknown';
      const accountKey = `login:account:${email}`;
      const keys: Limit[] = [
        { key: accountKey, max: limits.perAccount, windowSeconds: limits.windowSeconds },
        { key: `login:address:${ip}`, max: limits.perAddress, windowSeconds: limits.windowSeconds },
      ];
      const wait = await blockedFor(db, keys);
      if (wait > 0) {
        throw new AppError('rate_limited', 'Too many failed logins. Please wait and try again.', {
          retryAfterSeconds: wait,
        });
      }
      const account = await findCredentials(db, email);
      const passwordMatches = await verifyPassword(account?.passwordHash, password);
      if (!account || !passwordMatches || account.disabledAt !== null) {
        await recordFailure(db, keys);
        await writeAudit(db, { action: 'auth.login_failed', actorEmail: email, ip, details: {} });
        // Same answer for unknown, disabled and wrong password: nothing to learn about accounts.
        throw new AppError('invalid_credentials', 'E-mail address or password is wrong.');
      }
      await resetLimit(db, accountKey);
      const session = await createSession(db, account.id);
      const user = (await findUserById(db, account.id))!;
      setSessionCookie(c, publicOrigin, session.token, session.expiresAt);
      await writeAudit(db, {
        action: 'auth.login',
        actorId: user.id,
        actorEmail: user.email,
        targetType: 'user',
        targetId: user.id,
        ip,
      });
      return c.json({ user: toPublicUser(user) }, 200);
    },
  );

  app.post('/auth/logout', describe('Log out; ends the session', 'auth', { 204: null }), async (c) => {
    const session = c.var.session;
    if (session) {
      await invalidateSession(db, session.id);
      await audit(db, c, { action: 'auth.logout', targetType: 'user', targetId: session.user.id });
    }
    clearSessionCookie(c, publicOrigin);
    return c.body(null, 204);
  });

  app.patch(
    '/me',
    describe('Change own name or language', 'auth', { 200: userResponse }),
    valid('json', schemas.updateMeBody),
    async (c) => {
      const session = requireSession(c);
      const updated = (await updateUser(db, session.user.id, c.req.valid('json')))!;
      return c.json({ user: toPublicUser(updated) }, 200);
    },
  );

  app.post(
    '/me/password',
    describe('Change own password; other sessions end', 'auth', { 204: null }),
    valid('json', schemas.changePasswordBody),
    async (c) => {
      const session = requireSession(c);
      const { currentPassword, newPassword } = c.req.valid('json');
      const account = await findCredentials(db, session.user.email);
      if (!account || !(await verifyPassword(account.passwordHash, currentPassword))) {
        throw new AppError('validation_failed', 'The current password is wrong.', {
          fields: { currentPassword: 'wrong password' },
        });
      }
      if (session.user.mustChangePassword && newPassword === currentPassword) {
        throw new AppError('validation_failed', 'Choose a password of your own, not the start password.', {
          fields: { newPassword: 'same as the start password' },
        });
      }
      await updateUser(db, session.user.id, { passwordHash: await hashPassword(newPassword) });
      await invalidateOtherSessions(db, session.user.id, session.id);
      await audit(db, c, { action: 'user.password_change', targetType: 'user', targetId: session.user.id });
      return c.body(null, 204);
    },
  );

  app.get('/me', describe('The logged-in user', 'auth', { 200: userResponse }), async (c) => {
    const session = requireSession(c);
    const user = await findUserById(db, session.user.id);
    if (!user) throw new AppError('unauthenticated', 'Please log in.');
    return c.json({ user: toPublicUser(user) }, 200);
  });

  return app;
}
