import { createOrganization, listOrganizations, listUsers, toPublicUser, updateOrganization } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin, requireSession } from '../http/session.ts';

const organizationsResponse = z.object({ organizations: z.array(schemas.organization) });
const directoryResponse = z.object({
  users: z.array(schemas.user.pick({ id: true, name: true, email: true, organization: true })),
});

const organizationResponse = z.object({ organization: schemas.organization });
const pick = ({ id, code, name, kind }: z.infer<typeof schemas.organization>) => ({ id, code, name, kind });

/** Organisations, the user directory (to add members, show badges) and the operator's site facts. */
export function directoryRoutes({ db, site }: AppDependencies) {
  const app = new Hono<AppEnv>();

  app.get(
    '/site',
    describe('Imprint and feedback contact configured by the operator (public)', 'directory', { 200: schemas.site }),
    (c) => c.json({ imprint: site?.imprint ?? null, contactEmail: site?.contactEmail ?? null }, 200),
  );

  app.post(
    '/admin/organizations',
    describe('Create an organisation (admins)', 'admin', {
      201: organizationResponse,
      403: schemas.errorBody,
      409: schemas.errorBody,
    }),
    valid('json', schemas.createOrganizationBody),
    async (c) => {
      requireAdmin(c);
      const created = await createOrganization(db, c.req.valid('json'));
      await audit(db, c, {
        action: 'organization.create',
        targetType: 'organization',
        targetId: created.id,
        details: { code: created.code },
      });
      return c.json({ organization: pick(created) }, 201);
    },
  );

  app.patch(
    '/admin/organizations/:organizationId',
    describe('Rename an organisation (admins)', 'admin', {
      200: organizationResponse,
      403: schemas.errorBody,
      404: schemas.errorBody,
    }),
    valid('param', schemas.organizationIdParam),
    valid('json', schemas.updateOrganizationBody),
    async (c) => {
      requireAdmin(c);
      const { organizationId } = c.req.valid('param');
      const updated = await updateOrganization(db, organizationId, c.req.valid('json'));
      if (!updated) throw new AppError('not_found', 'Organisation not found.');
      await audit(db, c, { action: 'organization.update', targetType: 'organization', targetId: organizationId });
      return c.json({ organization: pick(updated) }, 200);
    },
  );

  app.get('/organizations', describe('All organisations', 'directory', { 200: organizationsResponse }), async (c) => {
    requireSession(c);
    const rows = await listOrganizations(db);
    return c.json({ organizations: rows.map(({ id, code, name, kind }) => ({ id, code, name, kind })) }, 200);
  });

  app.get(
    '/users',
    describe('Active users, to add as room members', 'directory', { 200: directoryResponse }),
    async (c) => {
      requireSession(c);
      const users = (await listUsers(db)).filter((row) => row.disabledAt === null).map(toPublicUser);
      return c.json(
        { users: users.map(({ id, name, email, organization }) => ({ id, name, email, organization })) },
        200,
      );
    },
  );

  return app;
}
