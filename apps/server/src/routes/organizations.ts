import { listOrganizations, listUsers, toPublicUser } from '@nordraum/db';
import { schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

const organizationsResponse = z.object({ organizations: z.array(schemas.organization) });
const directoryResponse = z.object({
  users: z.array(schemas.user.pick({ id: true, name: true, email: true, organization: true })),
});

/** Organisations and the user directory, for every logged-in user (to add members, show badges). */
export function directoryRoutes({ db }: AppDependencies) {
  const app = new Hono<AppEnv>();

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
