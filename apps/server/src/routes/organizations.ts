import { createOrganization, listDirectory, listOrganizations, updateOrganization } from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audited } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin, requireSession } from '../http/session.ts';

const organizationsResponse = z.object({ organizations: z.array(schemas.organization) });
const directoryResponse = z.object({ users: z.array(schemas.directoryUser) });

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
      const created = await audited(
        db,
        c,
        (tx) => createOrganization(tx, c.req.valid('json')),
        (row) => ({
          action: 'organization.create',
          targetType: 'organization',
          targetId: row.id,
          details: { code: row.code },
        }),
      );
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
      const updated = await audited(
        db,
        c,
        (tx) => updateOrganization(tx, organizationId, c.req.valid('json')),
        (row) => (row ? { action: 'organization.update', targetType: 'organization', targetId: organizationId } : null),
      );
      if (!updated) throw new AppError('not_found', 'Organisation not found.');
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
    describe(
      'People to choose from (adding a member): without q, those who share a room with the caller; with q (2+ characters), a search by name. E-mail addresses only for administrators',
      'directory',
      { 200: directoryResponse },
    ),
    valid('query', schemas.directoryQuery),
    async (c) => {
      const session = requireSession(c);
      const { q } = c.req.valid('query');
      const { isAdmin } = session.user;
      const rows = await listDirectory(db, {
        search: q,
        // Administrators manage every room's members, so they may choose anyone.
        sharingRoomsWith: q || isAdmin ? undefined : session.user.id,
        limit: q ? 20 : isAdmin ? 10_000 : 500,
      });
      const users = rows.map(({ id, name, email, organization }) => ({
        id,
        name,
        organization,
        ...(isAdmin ? { email } : {}),
      }));
      return c.json({ users }, 200);
    },
  );

  return app;
}
