import {
  countUnread,
  getMailPreferences,
  listNotifications,
  markNotificationsRead,
  setMailPreferences,
} from '@nordraum/db';
import { AppError, notificationSchemas, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { serveLiveStream } from '../live/sse.ts';
import { checkOrigin } from './threads.ts';

/** The caller's inbox, its live unread count, and their e-mail choices per kind of notification. */
export function notificationRoutes({ db, live, allowedOrigins }: AppDependencies) {
  const app = new Hono<AppEnv>();
  const changed = (userId: string) => live?.publish({ kind: 'notification', userId });

  app.get(
    '/notifications',
    describe('Your newest notifications and how many are unread', 'notifications', {
      200: notificationSchemas.notificationsResponse,
    }),
    valid('query', notificationSchemas.notificationsQuery),
    async (c) => {
      const session = requireSession(c);
      const { limit } = c.req.valid('query');
      const [notifications, unread] = await Promise.all([
        listNotifications(db, session.user.id, limit),
        countUnread(db, session.user.id),
      ]);
      return c.json({ notifications, unread }, 200);
    },
  );

  app.post(
    '/notifications/read',
    describe('Mark notifications read: those given, or all when ids is omitted', 'notifications', { 204: null }),
    valid('json', notificationSchemas.markReadBody),
    async (c) => {
      const session = requireSession(c);
      await markNotificationsRead(db, session.user.id, c.req.valid('json').ids);
      await changed(session.user.id);
      return c.body(null, 204);
    },
  );

  app.get(
    '/notifications/preferences',
    describe('How you want e-mail per kind: instant, daily (summary) or off', 'notifications', {
      200: notificationSchemas.preferences,
    }),
    async (c) => {
      const session = requireSession(c);
      return c.json({ preferences: await getMailPreferences(db, session.user.id) }, 200);
    },
  );

  app.put(
    '/notifications/preferences',
    describe('Choose e-mail per kind; kinds not given stay as they are', 'notifications', {
      200: notificationSchemas.preferences,
    }),
    valid('json', notificationSchemas.updatePreferencesBody),
    async (c) => {
      const session = requireSession(c);
      await setMailPreferences(db, session.user.id, c.req.valid('json').preferences);
      return c.json({ preferences: await getMailPreferences(db, session.user.id) }, 200);
    },
  );

  app.get(
    '/notifications/events',
    describe(
      'Server-sent events: "unread" ({ unread }) first and whenever it changes; "end" when the session ends',
      'notifications',
      {
        200: null,
        403: schemas.errorBody,
        429: schemas.errorBody,
      },
    ),
    async (c) => {
      const session = requireSession(c);
      checkOrigin(c, allowedOrigins);
      if (!live) throw new AppError('internal', 'Live events are not served by this server.');
      const unread = async () => ({ event: 'unread', data: { unread: await countUnread(db, session.user.id) } });
      return serveLiveStream(c, {
        hub: live,
        who: { sessionId: session.id, userId: session.user.id, organizationId: session.user.organization.id },
        initial: async () => [await unread()],
        render: async (event) => (event.kind === 'notification' ? unread() : null),
      });
    },
  );

  return app;
}
