import { createHash, randomBytes } from 'node:crypto';
import {
  calendarTokenCreatedAt,
  deleteCalendarToken,
  findCalendarTokenUser,
  listMyActions,
  renewCalendarToken,
} from '@nordraum/db';
import { AppError, actionsToICalendar, type CalendarAction, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

/**
 * A person's calendar subscription: an address with a secret (32 random bytes, base64url) that a
 * calendar program fetches without a session, answered with that person's open actions as
 * all-day events, read-only. Only the secret's SHA-256 hash is stored; the address is shown once,
 * when made. Renewing replaces the secret, so an address that leaked stops working.
 */

const calendarInfo = z.object({ calendar: z.object({ createdAt: z.iso.datetime() }).nullable() });
const calendarCreated = z.object({ url: z.url(), createdAt: z.iso.datetime() });
const tokenParam = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{43}(\.ics)?$/) });

const hashOf = (token: string) => new Uint8Array(createHash('sha256').update(token).digest());

/** The calendar subscription routes (mounted under /api). */
export function calendarRoutes(deps: AppDependencies) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get(
    '/my-actions/calendar',
    describe('Whether I have a calendar subscription address, and since when', 'actions', { 200: calendarInfo }),
    async (c) => {
      const session = requireSession(c);
      const createdAt = await calendarTokenCreatedAt(db, session.user.id);
      return c.json({ calendar: createdAt ? { createdAt: createdAt.toISOString() } : null }, 200);
    },
  );

  app.post(
    '/my-actions/calendar',
    describe('Make (or renew) my calendar subscription address; the previous one stops working', 'actions', {
      201: calendarCreated,
    }),
    async (c) => {
      const session = requireSession(c);
      const token = randomBytes(32).toString('base64url');
      const createdAt = await renewCalendarToken(db, session.user.id, hashOf(token));
      await audit(db, c, { action: 'calendar.renew', targetType: 'user', targetId: session.user.id });
      return c.json({ url: `${deps.publicOrigin}/api/calendar/${token}.ics`, createdAt: createdAt.toISOString() }, 201);
    },
  );

  app.delete(
    '/my-actions/calendar',
    describe('Delete my calendar subscription address', 'actions', { 204: null }),
    async (c) => {
      const session = requireSession(c);
      if (await deleteCalendarToken(db, session.user.id))
        await audit(db, c, { action: 'calendar.delete', targetType: 'user', targetId: session.user.id });
      return c.body(null, 204);
    },
  );

  app.get(
    '/calendar/:file',
    describe("A person's open actions as a calendar, by the secret address (no session)", 'actions', {
      200: null,
      404: schemas.errorBody,
    }),
    valid('param', tokenParam),
    async (c) => {
      const token = c.req.valid('param').file.replace(/\.ics$/, '');
      const person = await findCalendarTokenUser(db, hashOf(token));
      if (!person) throw new AppError('not_found', 'No such calendar.');
      const viewer = { userId: person.id, organizationId: person.organizationId, isAdmin: person.isAdmin };
      const actions = await listMyActions(db, viewer);
      const entries: CalendarAction[] = actions.map((action) => ({
        id: action.itemId,
        title: `${action.title} (${action.roomName})`,
        ownerId: person.id,
        organization: action.organization,
        due: action.due,
        status: action.status as CalendarAction['status'],
        url: `${deps.publicOrigin}/documents/${action.documentId}#action-${action.itemId}`,
      }));
      const body = actionsToICalendar(entries, {
        calendarName: `Nordraum: ${person.name}`,
        users: new Map([[person.id, person.name]]),
      });
      return c.body(body, 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'cache-control': 'private, no-store',
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex',
      });
    },
  );

  return app;
}
