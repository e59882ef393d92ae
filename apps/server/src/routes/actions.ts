import { findDocument, listMembers, listMyActions, writeAudit } from '@nordraum/db';
import {
  type ActionItem,
  AppError,
  actionListOf,
  actionsToCsv,
  actionsToICalendar,
  attachmentDisposition,
  downloadFileName,
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
import { calendarRoutes } from './calendar.ts';

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

const exportQuery = z.object({
  format: z.enum(['csv', 'ics']).default('csv'),
  /** Calendar entries: all-day events (what every calendar shows) or tasks. */
  type: z.enum(['event', 'todo']).default('event'),
});

/** At most this many roadmaps are read for the milestone names of one export. */
const maxLinkedRoadmaps = 20;

/** "My actions" across rooms (from the index), exports of action lists and roadmaps, index rebuild. */
export function actionRoutes(deps: AppDependencies) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  /**
   * Milestone id → title, from the roadmaps of `roomId` the items link to (a link into another
   * room is not followed: its reader may not see that room). A milestone missing here is gone.
   */
  async function milestoneTitles(roomId: string, items: ActionItem[]): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    const roadmapIds = [...new Set(items.map((item) => item.roadmapId).filter((id) => id !== null))];
    for (const roadmapId of roadmapIds.slice(0, maxLinkedRoadmaps)) {
      const roadmap = await findDocument(db, roadmapId);
      if (roadmap?.roomId !== roomId || roadmap.kind !== 'roadmap') continue;
      const milestones = await deps.sync!.readDocument(roadmapId, (doc) => roadmapOf(doc).milestones());
      for (const milestone of milestones) titles.set(milestone.id, milestone.title);
    }
    return titles;
  }

  async function exportActions(
    documentId: string,
    roomId: string,
    format: 'csv' | 'ics',
    type: 'event' | 'todo',
    options: { calendarName: string; url: string; users: Map<string, string> },
  ): Promise<string> {
    const items = await deps.sync!.readDocument(documentId, (doc) => actionListOf(doc).items());
    if (format === 'ics') {
      const entries = items.map((item) => ({ ...item, url: `${options.url}#action-${item.id}` }));
      return actionsToICalendar(entries, { ...options, type });
    }
    return actionsToCsv(items, { users: options.users, milestones: await milestoneTitles(roomId, items) });
  }

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
      const { format, type } = c.req.valid('query');
      const { sync } = deps;
      if (!sync || document.kind === 'notes' || (format === 'ics' && document.kind !== 'actions')) {
        throw new AppError('validation_failed', 'This document cannot be exported in this format.', {
          fields: { format: 'not available for this document' },
        });
      }
      const users = new Map((await listMembers(db, room.id)).map((member) => [member.user.id, member.user.name]));
      const url = `${deps.publicOrigin}/documents/${document.id}`;
      const body =
        document.kind === 'roadmap'
          ? await sync.readDocument(document.id, (doc) => {
              const roadmap = roadmapOf(doc);
              return roadmapToCsv(roadmap.themes(), roadmap.milestones(), users);
            })
          : await exportActions(document.id, room.id, format, type, { calendarName: document.title, url, users });
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
      const contentType = format === 'ics' ? 'text/calendar; charset=utf-8' : 'text/csv; charset=utf-8';
      return c.body(body, 200, {
        'content-type': contentType,
        'content-disposition': attachmentDisposition(
          downloadFileName([document.title, room.name, new Date().toISOString().slice(0, 10)], format),
        ),
        'cache-control': 'no-store',
      });
    },
  );

  app.route('/', calendarRoutes(deps));
  return app;
}
