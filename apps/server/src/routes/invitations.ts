import { createSession, hashOneTimeToken, hashPassword, invalidateUserSessions, newOneTimeToken } from '@nordraum/auth';
import {
  consumeToken,
  createToken,
  createUser,
  deleteInvitation,
  findInvitation,
  findUsableToken,
  findUserById,
  listOpenInvitations,
  setMember,
  toInvitation,
  toPublicUser,
  updateUser,
  writeAudit,
} from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audited, authorizeRoom, clientAddress } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin, requireSession, setSessionCookie } from '../http/session.ts';
import { invitationMail } from '../mail.ts';
import { mayInvite, refuseExistingAccount } from './invitation-rules.ts';

const dayMs = 24 * 60 * 60 * 1000;
/** Invitations are valid for 7 days, password resets for 1 day. */
const invitationLifetimeMs = 7 * dayMs;
const resetLifetimeMs = dayMs;
const gone = () => new AppError('not_found', 'This link is unknown, used or expired. Ask for a new one.');

/**
 * One-time links: invitations (a new account, optionally straight into a room with a role) and
 * password resets. The link is shown once to whoever created it, to pass on; no mail server is
 * assumed. Only the token's hash is stored.
 */
export function invitationRoutes({ db, publicOrigin, mailer, logger }: AppDependencies) {
  const app = new Hono<AppEnv>();
  const link = (path: string, token: string) => `${publicOrigin}/${path}/${token}`;

  app.post(
    '/invitations',
    describe('Invite someone by link (admins; room owners for their room)', 'invitations', {
      201: z.object({ invitation: schemas.createdInvitation }),
      403: schemas.errorBody,
      409: schemas.errorBody,
    }),
    valid('json', schemas.createInvitationBody),
    async (c) => {
      const session = requireSession(c);
      const body = c.req.valid('json');
      await mayInvite(db, session, body);
      await refuseExistingAccount(db, body.email);
      const { token, hash } = newOneTimeToken();
      const id = await audited(
        db,
        c,
        (tx) =>
          createToken(tx, {
            kind: 'invitation',
            tokenHash: hash,
            email: body.email,
            name: body.name ?? null,
            organizationId: body.organizationId,
            roomId: body.roomId ?? null,
            role: body.role ?? null,
            createdBy: session.user.id,
            expiresAt: new Date(Date.now() + invitationLifetimeMs),
          }),
        (created) => ({
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: created,
          roomId: body.roomId ?? null,
          details: { email: body.email, role: body.role ?? null, organizationId: body.organizationId },
        }),
      );
      const invitation = toInvitation((await findInvitation(db, id))!);
      const url = link('invite', token);
      let mailed = false;
      if (mailer) {
        const mail = invitationMail({
          to: invitation.email,
          link: url,
          organization: invitation.organization.name,
          room: invitation.room?.name ?? null,
          expiresAt: new Date(invitation.expiresAt),
        });
        // The link is shown anyway; a mail server that is down must not lose the invitation.
        mailed = await mailer.send(mail).then(
          () => true,
          (err: unknown) => {
            logger.warn({ err }, 'sending the invitation e-mail failed');
            return false;
          },
        );
      }
      return c.json({ invitation: { ...invitation, link: url, mailed } }, 201);
    },
  );

  app.get(
    '/invitations',
    describe('Open invitations (admins)', 'invitations', {
      200: z.object({ invitations: z.array(schemas.invitation) }),
      403: schemas.errorBody,
    }),
    async (c) => {
      requireAdmin(c);
      return c.json({ invitations: (await listOpenInvitations(db)).map(toInvitation) }, 200);
    },
  );

  app.get(
    '/rooms/:roomId/invitations',
    describe('Open invitations into a room (its owners and admins)', 'invitations', {
      200: z.object({ invitations: z.array(schemas.invitation) }),
      403: schemas.errorBody,
      404: schemas.errorBody,
    }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, requireSession(c), roomId, 'room.members.manage');
      return c.json({ invitations: (await listOpenInvitations(db, roomId)).map(toInvitation) }, 200);
    },
  );

  app.delete(
    '/invitations/:invitationId',
    describe("Withdraw an invitation (admins; room owners for their room's)", 'invitations', {
      204: null,
      403: schemas.errorBody,
      404: schemas.errorBody,
    }),
    valid('param', schemas.invitationIdParam),
    async (c) => {
      const session = requireSession(c);
      const { invitationId } = c.req.valid('param');
      const found = await findInvitation(db, invitationId);
      if (!found) throw new AppError('not_found', 'No such invitation.');
      if (!session.user.isAdmin) {
        if (!found.roomId) throw new AppError('forbidden', 'Only administrators may withdraw this invitation.');
        await authorizeRoom(db, session, found.roomId, 'room.members.manage');
      }
      const deleted = await audited(
        db,
        c,
        (tx) => deleteInvitation(tx, invitationId),
        (done) =>
          done
            ? { action: 'invitation.delete', targetType: 'invitation', targetId: invitationId, roomId: found.roomId }
            : null,
      );
      if (!deleted) throw new AppError('not_found', 'No such invitation.');
      return c.body(null, 204);
    },
  );

  app.get(
    '/invitations/:token',
    describe('What an invitation link offers (public)', 'invitations', {
      200: z.object({ invitation: schemas.invitation }),
      404: schemas.errorBody,
    }),
    valid('param', schemas.tokenParam),
    async (c) => {
      const row = await findUsableToken(db, 'invitation', hashOneTimeToken(c.req.valid('param').token));
      if (!row) throw gone();
      return c.json({ invitation: toInvitation(row) }, 200);
    },
  );

  app.post(
    '/invitations/:token/accept',
    describe('Accept an invitation: creates the account and logs in (public)', 'invitations', {
      201: z.object({ user: schemas.user }),
      404: schemas.errorBody,
      409: schemas.errorBody,
    }),
    valid('param', schemas.tokenParam),
    valid('json', schemas.acceptInvitationBody),
    async (c) => {
      const row = await findUsableToken(db, 'invitation', hashOneTimeToken(c.req.valid('param').token));
      if (!row?.organizationId) throw gone();
      const body = c.req.valid('json');
      await refuseExistingAccount(db, row.email);
      const passwordHash = await hashPassword(body.password);
      const created = await db.transaction(async (tx) => {
        if (!(await consumeToken(tx, row.id))) throw gone();
        const user = await createUser(tx, {
          email: row.email,
          name: body.name,
          organizationId: row.organizationId!,
          passwordHash,
          isAdmin: false,
        });
        if (row.roomId && row.role) await setMember(tx, row.roomId, user.id, row.role);
        await writeAudit(tx, {
          action: 'invitation.accept',
          actorId: user.id,
          actorEmail: user.email,
          targetType: 'invitation',
          targetId: row.id,
          roomId: row.roomId,
          ip: clientAddress(c),
          details: { role: row.role },
        });
        return user;
      });
      const session = await createSession(db, created.id);
      setSessionCookie(c, publicOrigin, session.token, session.expiresAt);
      return c.json({ user: toPublicUser(created) }, 201);
    },
  );

  app.post(
    '/admin/users/:userId/password-reset',
    describe('Create a password reset link for a user (admins)', 'admin', {
      201: z.object({ link: z.string(), expiresAt: z.string() }),
      403: schemas.errorBody,
      404: schemas.errorBody,
    }),
    valid('param', schemas.userIdParam),
    async (c) => {
      const session = requireAdmin(c);
      const target = await findUserById(db, c.req.valid('param').userId);
      if (!target) throw new AppError('not_found', 'User not found.');
      const { token, hash } = newOneTimeToken();
      const expiresAt = new Date(Date.now() + resetLifetimeMs);
      await audited(
        db,
        c,
        (tx) =>
          createToken(tx, {
            kind: 'password_reset',
            tokenHash: hash,
            email: target.email,
            userId: target.id,
            createdBy: session.user.id,
            expiresAt,
          }),
        (id) => ({
          action: 'user.password_reset_link',
          targetType: 'user',
          targetId: target.id,
          details: { token: id },
        }),
      );
      return c.json({ link: link('reset', token), expiresAt: expiresAt.toISOString() }, 201);
    },
  );

  app.get(
    '/password-resets/:token',
    describe('Whose password a reset link sets (public)', 'auth', {
      200: z.object({ email: z.string() }),
      404: schemas.errorBody,
    }),
    valid('param', schemas.tokenParam),
    async (c) => {
      const row = await findUsableToken(db, 'password_reset', hashOneTimeToken(c.req.valid('param').token));
      if (!row) throw gone();
      return c.json({ email: row.email }, 200);
    },
  );

  app.post(
    '/password-resets/:token',
    describe('Set a new password with a reset link; ends all sessions (public)', 'auth', {
      204: null,
      404: schemas.errorBody,
    }),
    valid('param', schemas.tokenParam),
    valid('json', schemas.setPasswordBody),
    async (c) => {
      const row = await findUsableToken(db, 'password_reset', hashOneTimeToken(c.req.valid('param').token));
      if (!row?.userId) throw gone();
      const passwordHash = await hashPassword(c.req.valid('json').password);
      const userId = row.userId;
      await db.transaction(async (tx) => {
        if (!(await consumeToken(tx, row.id))) throw gone();
        await updateUser(tx, userId, { passwordHash });
        await invalidateUserSessions(tx, userId);
        await writeAudit(tx, {
          action: 'user.password_reset',
          actorId: userId,
          actorEmail: row.email,
          targetType: 'user',
          targetId: userId,
          ip: clientAddress(c),
        });
      });
      return c.body(null, 204);
    },
  );

  return app;
}
