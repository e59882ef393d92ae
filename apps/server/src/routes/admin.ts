import { hashPassword } from '@nordraum/auth';
import { createUser, findUserById, listAudit, listUsers, toPublicUser, updateUser } from '@nordraum/db';
import { AppError, auditToCsv, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit, audited } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin } from '../http/session.ts';

const userResponse = z.object({ user: schemas.user });
const usersResponse = z.object({ users: z.array(schemas.user) });
const auditResponse = z.object({ entries: z.array(schemas.auditEntry) });
const forbidden = { 403: schemas.errorBody };

/** User administration and the audit log: administrators only. */
export function adminRoutes({ db }: AppDependencies) {
  const app = new Hono<AppEnv>();

  app.get('/admin/users', describe('All users', 'admin', { 200: usersResponse, ...forbidden }), async (c) => {
    requireAdmin(c);
    return c.json({ users: (await listUsers(db)).map(toPublicUser) }, 200);
  });

  app.post(
    '/admin/users',
    describe('Create a user', 'admin', { 201: userResponse, ...forbidden, 409: schemas.errorBody }),
    valid('json', schemas.createUserBody),
    async (c) => {
      requireAdmin(c);
      const body = c.req.valid('json');
      const passwordHash = await hashPassword(body.password);
      const created = await audited(
        db,
        c,
        (tx) =>
          createUser(tx, {
            email: body.email,
            name: body.name,
            organizationId: body.organizationId,
            passwordHash,
            isAdmin: body.isAdmin ?? false,
            // The administrator knows this password: the person sets their own at first login.
            mustChangePassword: true,
          }),
        (user) => ({
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, organization: user.organization.code, isAdmin: user.isAdmin },
        }),
      );
      return c.json({ user: toPublicUser(created) }, 201);
    },
  );

  app.patch(
    '/admin/users/:userId',
    describe('Change or disable a user', 'admin', { 200: userResponse, ...forbidden, 404: schemas.errorBody }),
    valid('param', schemas.userIdParam),
    valid('json', schemas.updateUserBody),
    async (c) => {
      const session = requireAdmin(c);
      const { userId } = c.req.valid('param');
      const changes = c.req.valid('json');
      if (!(await findUserById(db, userId))) throw new AppError('not_found', 'User not found.');
      if (userId === session.user.id && (changes.disabled === true || changes.isAdmin === false)) {
        throw new AppError('conflict', 'You cannot disable yourself or remove your own admin rights.');
      }
      const action =
        changes.disabled === true ? 'user.disable' : changes.disabled === false ? 'user.enable' : 'user.update';
      const updated = (await audited(
        db,
        c,
        (tx) => updateUser(tx, userId, changes),
        () => ({ action, targetType: 'user', targetId: userId, details: { changes: Object.keys(changes) } }),
      ))!;
      return c.json({ user: toPublicUser(updated) }, 200);
    },
  );

  app.get(
    '/admin/audit',
    describe('The audit log, newest first', 'admin', { 200: auditResponse, ...forbidden }),
    valid('query', schemas.auditQuery),
    async (c) => {
      requireAdmin(c);
      return c.json({ entries: await listAudit(db, c.req.valid('query')) }, 200);
    },
  );

  app.get(
    '/admin/audit/export',
    describe('The filtered audit log as CSV (semicolons, UTF-8 with BOM); the export is audited', 'admin', {
      200: z.string(),
      ...forbidden,
    }),
    valid('query', schemas.auditExportQuery),
    async (c) => {
      requireAdmin(c);
      const filter = c.req.valid('query');
      const entries = await listAudit(db, filter);
      const { limit: _limit, ...filters } = filter;
      await audit(db, c, { action: 'audit.export', details: { filters, count: entries.length } });
      // Only digits and dashes: nothing of the request ends up in the header.
      const day = new Date().toISOString().slice(0, 10);
      return c.body(auditToCsv(entries), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="nordraum-protokoll-${day}.csv"`,
        'cache-control': 'no-store',
      });
    },
  );

  return app;
}
