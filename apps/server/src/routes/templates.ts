import type { ValidSession } from '@nordraum/auth';
import {
  createTemplate,
  type Database,
  deleteTemplate,
  findTemplate,
  listTemplates,
  readTemplateState,
} from '@nordraum/db';
import {
  AppError,
  builtInTemplates,
  type DocumentKind,
  findBuiltInTemplate,
  schemas,
  templateStart,
} from '@nordraum/domain';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { z } from 'zod';
import { audited, authorizeDocument, authorizeRoom } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

/**
 * Templates a new document starts from: the built-in ones (code, in German and English), those an
 * administrator saved for everyone, and those an owner saved for their room. A room's templates
 * are listed, used and deleted only within that room; a template of a room the caller cannot see
 * is "not found", as the room itself is. A saved template is the document's committed state at
 * the time, as one Yjs update, so a document made from it starts with the same content, except
 * for the people and the progress of the source (owners, statuses: see templateStart).
 */

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };
const templateResponse = z.object({ template: schemas.template });

const unknownTemplate = (reason = 'unknown template') =>
  new AppError('validation_failed', 'There is no such template for this kind of document.', {
    fields: { templateId: reason },
  });

/**
 * The first content of a document of `kind` in `roomId` made from template `templateId`: a
 * built-in one, one for everyone, or one of this room. 400 for an unknown or unfitting one,
 * and for another room's (which this room does not know).
 */
export async function templateState(
  db: Database,
  templateId: string,
  kind: DocumentKind,
  roomId: string,
): Promise<Uint8Array> {
  const builtIn = findBuiltInTemplate(templateId);
  if (builtIn) {
    if (builtIn.kind !== kind) throw unknownTemplate('the template is for another kind of document');
    const doc = new Y.Doc();
    builtIn.fill(doc);
    return Y.encodeStateAsUpdate(doc);
  }
  const saved = z.uuid().safeParse(templateId).success ? await findTemplate(db, templateId) : undefined;
  if (!saved || (saved.scope === 'room' && saved.roomId !== roomId)) throw unknownTemplate();
  if (saved.kind !== kind) throw unknownTemplate('the template is for another kind of document');
  return (await readTemplateState(db, templateId))!;
}

/** Checks that `session` may manage a template of `scope` (in `roomId`): owners for their room, admins for everyone. */
async function authorizeTemplate(db: Database, session: ValidSession, scope: 'global' | 'room', roomId: string | null) {
  if (scope === 'global') {
    if (!session.user.isAdmin) throw new AppError('forbidden', 'Only administrators manage templates for everyone.');
    return;
  }
  try {
    await authorizeRoom(db, session, roomId!, 'room.templates.manage');
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw new AppError('not_found', 'Template not found.');
    throw error;
  }
}

/** The template routes (mounted under /api). */
export function templateRoutes({ db, sync }: AppDependencies) {
  const app = new Hono<AppEnv>();

  app.get(
    '/templates',
    describe(
      "The templates a new document can start from: built-in, for everyone, and with `room` that room's own",
      'documents',
      { 200: z.object({ templates: z.array(schemas.template) }), ...denied },
    ),
    valid('query', schemas.templatesQuery),
    async (c) => {
      const session = requireSession(c);
      const { room } = c.req.valid('query');
      if (room) await authorizeRoom(db, session, room, 'document.list');
      const saved = await listTemplates(db, room ?? null);
      const templates = [
        ...builtInTemplates.map(({ id, name, kind, scope }) => ({ id, name, kind, scope })),
        ...saved.map(({ id, name, kind, scope }) => ({ id, name, kind, scope })),
      ];
      return c.json({ templates }, 200);
    },
  );

  app.post(
    '/documents/:documentId/templates',
    describe(
      'Save a document as a template: for its room (owners) or for everyone (administrators with a role in the room)',
      'documents',
      { 201: templateResponse, ...denied },
    ),
    valid('param', schemas.documentIdParam),
    valid('json', schemas.saveTemplateBody),
    async (c) => {
      const session = requireSession(c);
      const { name, scope } = c.req.valid('json');
      const { documentId } = c.req.valid('param');
      // Reading the content is a room role's right: an administrator without one cannot copy it.
      const { document, room } = await authorizeDocument(db, session, documentId, 'document.read');
      await authorizeTemplate(db, session, scope, room.id);
      if (!sync) throw new AppError('internal', 'Document content is not served by this server.');
      const state = templateStart(document.kind, await sync.readState(documentId));
      const template = await audited(
        db,
        c,
        (tx) =>
          createTemplate(tx, {
            name,
            kind: document.kind,
            scope,
            roomId: scope === 'room' ? room.id : null,
            state,
            sourceDocumentId: document.id,
            createdBy: session.user.id,
          }),
        (created) => ({
          action: 'template.create',
          targetType: 'template',
          targetId: created.id,
          roomId: room.id,
          details: { name, kind: document.kind, scope, documentId: document.id },
        }),
      );
      const { id, kind } = template;
      return c.json({ template: { id, name: template.name, kind, scope: template.scope } }, 201);
    },
  );

  app.delete(
    '/templates/:templateId',
    describe(
      'Delete a saved template: a room template by its owners, one for everyone by administrators',
      'documents',
      {
        204: null,
        ...denied,
      },
    ),
    valid('param', schemas.templateIdParam),
    async (c) => {
      const session = requireSession(c);
      const { templateId } = c.req.valid('param');
      const template = await findTemplate(db, templateId);
      if (!template) throw new AppError('not_found', 'Template not found.');
      await authorizeTemplate(db, session, template.scope, template.roomId);
      await audited(
        db,
        c,
        (tx) => deleteTemplate(tx, templateId),
        (deleted) =>
          deleted
            ? {
                action: 'template.delete',
                targetType: 'template',
                targetId: templateId,
                roomId: template.roomId,
                details: { name: template.name, kind: template.kind, scope: template.scope },
              }
            : null,
      );
      return c.body(null, 204);
    },
  );

  return app;
}
