import {
  createSession,
  defaultLoginLimits,
  hashPassword,
  invalidateOtherSessions,
  invalidateSession,
  type PasswordAttempt,
  passwordAttemptWait,
  recordPasswordFailure,
  recordPasswordSuccess,
  verifyPassword,
} from '@nordraum/auth';
import { findCredentials, findUserById, toPublicUser, updateUser, writeAudit } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { audited, clientAddress } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { knownDevice, rememberDevice } from '../http/device.ts';
import { describe, valid } from '../http/openapi.ts';
import { clearSessionCookie, requireSession, setSessionCookie } from '../http/session.ts';

const userResponse = z.object({ user: schemas.user });

/** 429 with Retry-After: the contract for an attempt that has to wait. */
function refuseFor(seconds: number): never {
  throw new AppError('rate_limited', 'Too many failed attempts. Please wait and try again.', {
    retryAfterSeconds: seconds,
  });
}

/** Login, logout and the current user. */
export function authRoutes(deps: AppDependencies) {
  const { db, publicOrigin } = deps;
  const limits = deps.loginLimits ?? defaultLoginLimits;
  const app = new Hono<AppEnv>();

  /** Checks a password under the limits of login-throttle.ts: waits answer 429, failures are counted. */
  async function provePassword(
    c: Context<AppEnv>,
    scope: string,
    account: { key: string; id?: string; passwordHash?: string },
    password: string,
  ) {
    const deviceId = account.id && account.passwordHash ? knownDevice(c, account.id, account.passwordHash) : null;
    const attempt: PasswordAttempt = { scope, account: account.key, address: clientAddress(c) ?? 'unknown', deviceId };
    const wait = await passwordAttemptWait(db, attempt, limits);
    if (wait > 0) refuseFor(wait);
    const matches = await verifyPassword(account.passwordHash, password);
    await (matches ? recordPasswordSuccess : recordPasswordFailure)(db, attempt, limits);
    return matches;
  }

  app.post(
    '/auth/login',
    describe('Log in; sets the session cookie', 'auth', { 200: userResponse, 429: schemas.errorBody }),
    valid('json', schemas.loginBody),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const account = await findCredentials(db, email);
      const passwordMatches = await provePassword(
        c,
        'login',
        { key: email, id: account?.id, passwordHash: account?.passwordHash },
        password,
      );
      if (!account || !passwordMatches || account.disabledAt !== null) {
        await writeAudit(db, { action: 'auth.login_failed', actorEmail: email, ip: clientAddress(c), details: {} });
        // Same answer for unknown, disabled and wrong password: nothing to learn about accounts.
        throw new AppError('invalid_credentials', 'E-mail address or password is wrong.');
      }
      const user = (await findUserById(db, account.id))!;
      const session = await db.transaction(async (tx) => {
        const created = await createSession(tx, account.id);
        await writeAudit(tx, {
          action: 'auth.login',
          actorId: user.id,
          actorEmail: user.email,
          targetType: 'user',
          targetId: user.id,
          ip: clientAddress(c),
        });
        return created;
      });
      setSessionCookie(c, publicOrigin, session.token, session.expiresAt);
      rememberDevice(c, publicOrigin, account.id, account.passwordHash);
      return c.json({ user: toPublicUser(user) }, 200);
    },
  );

  app.post('/auth/logout', describe('Log out; ends the session', 'auth', { 204: null }), async (c) => {
    const session = c.var.session;
    if (session) {
      await audited(
        db,
        c,
        (tx) => invalidateSession(tx, session.id),
        () => ({ action: 'auth.logout', targetType: 'user', targetId: session.user.id }),
      );
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
    describe('Change own password; other sessions end. Wrong current passwords are limited like logins', 'auth', {
      204: null,
      429: schemas.errorBody,
    }),
    valid('json', schemas.changePasswordBody),
    async (c) => {
      const session = requireSession(c);
      const { currentPassword, newPassword } = c.req.valid('json');
      const account = await findCredentials(db, session.user.email);
      const key = session.user.id;
      if (
        !account ||
        !(await provePassword(c, 'password', { key, passwordHash: account.passwordHash }, currentPassword))
      ) {
        throw new AppError('validation_failed', 'The current password is wrong.', {
          fields: { currentPassword: 'wrong password' },
        });
      }
      if (session.user.mustChangePassword && newPassword === currentPassword) {
        throw new AppError('validation_failed', 'Choose a password of your own, not the start password.', {
          fields: { newPassword: 'same as the start password' },
        });
      }
      const passwordHash = await hashPassword(newPassword);
      await audited(
        db,
        c,
        async (tx) => {
          await updateUser(tx, session.user.id, { passwordHash });
          await invalidateOtherSessions(tx, session.user.id, session.id);
        },
        () => ({ action: 'user.password_change', targetType: 'user', targetId: session.user.id }),
      );
      // The device cookie is signed with the password hash: this device stays known.
      rememberDevice(c, publicOrigin, session.user.id, passwordHash);
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
