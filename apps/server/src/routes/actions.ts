import { listMembers, listMyActions, writeAudit } from '@nordraum/db';
import {
  AppError,
  actionListOf,
  actionsToCsv,
  actionsToICalendar,
  roadmapOf,
  roadmapToCsv,
  schemas,
} from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { authorizeDocument, clientAddress, viewerOf } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireAdmin, requireSession } from '../http/session.ts';

const myAction = z.object({
  documentId: z.uuid(),
  itemId: z.string(),
  title: z.string(),
  organization: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  documentTitle: z.string(),
  roomId: z.uuid(),
  roomName: z.string(),
});

const exportQuery = z.object({ format: z.enum(['csv', 'ics']).default('csv') });

const german: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };

/** An ASCII file name for old clients (umlauts spelt out) and the exact one for the rest (RFC 6266). */
function contentDisposition(title: string, extension: string): string {
  const ascii = title
    .replace(/[äöüÄÖÜß]/g, (character) => german[character]!)
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `attachment; filename="${ascii || 'export'}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${title}.${extension}`)}`;
}

/** "My actions" across rooms (from the index), exports of action lists and roadmaps, index rebuild. */
export function actionRoutes(deps: AppDependencies) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get(
    '/my-actions',
    describe('Open actions assigned to me across all rooms I may see', 'actions', {
      200: z.object({ actions: z.array(myAction) }),
    }),
    async (c) => {
      const session = requireSession(c);
      return c.json({ actions: await listMyActions(db, viewerOf(session)) }, 200);
    },
  );

  app.post(
    '/admin/action-index/rebuild',
    describe('Rebuild the action index from the documents (admins)', 'admin', {
      200: z.object({ lists: z.number() }),
      403: schemas.errorBody,
    }),
    async (c) => {
      requireAdmin(c);
      if (!deps.indexer) throw new AppError('internal', 'The action index is not running on this server.');
      return c.json({ lists: await deps.indexer.rebuild() }, 200);
    },
  );

  app.get(
    '/documents/:documentId/export',
    describe('Export an action list (CSV, iCalendar) or a roadmap (CSV)', 'documents', {
      200: null,
      403: schemas.errorBody,
      404: schemas.errorBody,
    }),
    valid('param', schemas.documentIdParam),
    valid('query', exportQuery),
    async (c) => {
      const session = requireSession(c);
      const { document, room } = await authorizeDocument(db, session, c.req.valid('param').documentId, 'document.read');
      const { format } = c.req.valid('query');
      if (!deps.sync || document.kind === 'notes' || (format === 'ics' && document.kind !== 'actions')) {
        throw new AppError('validation_failed', 'This document cannot be exported in this format.', {
          fields: { format: 'not available for this document' },
        });
      }
      const users = new Map((await listMembers(db, room.id)).map((member) => [member.user.id, member.user.name]));
      const body = await deps.sync.readDocument(document.id, (doc) => {
        if (document.kind === 'roadmap') {
          const roadmap = roadmapOf(doc);
          return roadmapToCsv(roadmap.themes(), roadmap.milestones(), users);
        }
        const items = actionListOf(doc).items();
        return format === 'ics'
          ? actionsToICalendar(items, {
              calendarName: document.title,
              url: `${deps.publicOrigin}/documents/${document.id}`,
              users,
            })
          : actionsToCsv(items, { users, milestones: new Map() });
      });
      await writeAudit(db, {
        action: 'document.export',
        actorId: session.user.id,
        actorEmail: session.user.email,
        targetType: 'document',
        targetId: document.id,
        roomId: room.id,
        ip: clientAddress(c),
        details: { format },
      });
      const type = format === 'ics' ? 'text/calendar; charset=utf-8' : 'text/csv; charset=utf-8';
      return c.body(body, 200, {
        'content-type': type,
        'content-disposition': contentDisposition(document.title, format),
        'cache-control': 'no-store',
      });
    },
  );

  return app;
}
