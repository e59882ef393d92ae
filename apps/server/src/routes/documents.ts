import { createDocument, listDocuments, listRecentDocuments, toDocumentMeta, updateDocument } from '@nordraum/db';
import { AppError, docOf, readNotesTree, roadmapOf, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { z } from 'zod';
import { audited, authorizeDocument, authorizeRoom, viewerOf } from '../http/access.ts';
import { contentWritten } from '../http/content-written.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { checkActionList, transferActions } from '../protocol-actions.ts';
import { templateState } from './templates.ts';

const documentResponse = z.object({ document: schemas.document });
/** The document page's first request: the document and what it needs of the room, in one. */
const documentViewResponse = documentResponse.extend({
  room: schemas.room.pick({ id: true, name: true, role: true }),
});
/** A new roadmap's content: the five themes of the agreement, as one Yjs update. */
function initialRoadmapState(): Uint8Array {
  const doc = new Y.Doc();
  roadmapOf(doc).initialise();
  return Y.encodeStateAsUpdate(doc);
}

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };

/**
 * Document metadata: list, create, rename, archive. Content travels over /sync; its committed
 * state can also be read at once, for the first view of a page and for programs.
 */
export function documentRoutes(deps: AppDependencies) {
  const { db, sync } = deps;
  const app = new Hono<AppEnv>();

  app.get(
    '/rooms/:roomId/documents',
    describe("A room's documents", 'documents', { 200: z.object({ documents: z.array(schemas.document) }), ...denied }),
    valid('param', schemas.roomIdParam),
    valid('query', schemas.listDocumentsQuery),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'document.list');
      const rows = await listDocuments(db, roomId, { archived: c.req.valid('query').archived === 'true' });
      return c.json({ documents: rows.map(toDocumentMeta) }, 200);
    },
  );

  app.post(
    '/rooms/:roomId/documents',
    describe('Create a document', 'documents', { 201: documentResponse, ...denied }),
    valid('param', schemas.roomIdParam),
    valid('json', schemas.createDocumentBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'document.create');
      const body = c.req.valid('json');
      if (body.actionListId) {
        if (!body.templateId || body.kind !== 'notes' || !sync) {
          throw new AppError('validation_failed', 'Only a protocol made from a template brings actions along.', {
            fields: { actionListId: 'give it with a templateId for a notes document' },
          });
        }
        await checkActionList(db, roomId, body.actionListId, 'actionListId');
      }
      // A roadmap starts with the agreement's themes, written here: opening it is not a change.
      const initial = body.templateId
        ? await templateState(db, body.templateId, body.kind, roomId)
        : body.kind === 'roadmap'
          ? initialRoadmapState()
          : undefined;
      const row = await audited(
        db,
        c,
        (tx) => createDocument(tx, { roomId, kind: body.kind, title: body.title, createdBy: session.user.id }, initial),
        (created) => ({
          action: 'document.create',
          targetType: 'document',
          targetId: created.id,
          roomId,
          details: body.templateId ? { kind: created.kind, templateId: body.templateId } : { kind: created.kind },
        }),
      );
      if (initial) contentWritten(deps, row.id);
      // After the commit, as a live edit of the list; a document that failed to be created adds nothing.
      if (body.actionListId && initial) {
        const blocks = readNotesTree(docOf(initial));
        const options = { roomId, listId: body.actionListId, blocks, userId: session.user.id };
        await transferActions(db, sync!, options);
      }
      return c.json({ document: toDocumentMeta(row) }, 201);
    },
  );

  // Before /documents/:documentId, which would take "recent" for an id.
  app.get(
    '/documents/recent',
    describe("The newest documents across the caller's rooms", 'documents', {
      200: z.object({ documents: z.array(schemas.recentDocument) }),
    }),
    async (c) => {
      const session = requireSession(c);
      const rows = await listRecentDocuments(db, viewerOf(session));
      return c.json(
        { documents: rows.map((row) => ({ ...toDocumentMeta(row.document), roomName: row.roomName })) },
        200,
      );
    },
  );

  app.get(
    '/documents/:documentId',
    describe("A document's metadata, with the room's name and the caller's role in it", 'documents', {
      200: documentViewResponse,
      ...denied,
    }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      const { document, room } = await authorizeDocument(db, session, documentId, 'document.list');
      return c.json(
        { document: toDocumentMeta(document), room: { id: room.id, name: room.name, role: room.role } },
        200,
      );
    },
  );

  app.get(
    '/documents/:documentId/state',
    describe(
      "A document's committed content as one Yjs update (application/octet-stream): what a y-websocket client gets on its first sync",
      'documents',
      { 200: null, ...denied },
    ),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      await authorizeDocument(db, session, documentId, 'document.read');
      if (!sync) throw new AppError('internal', 'Document content is not served by this server.');
      const state = (await sync.readState(documentId)) as Uint8Array<ArrayBuffer>;
      return c.body(state, 200, { 'content-type': 'application/octet-stream', 'cache-control': 'private, no-store' });
    },
  );

  app.patch(
    '/documents/:documentId',
    describe('Rename, archive or restore a document', 'documents', { 200: documentResponse, ...denied }),
    valid('param', schemas.documentIdParam),
    valid('json', schemas.updateDocumentBody),
    async (c) => {
      const session = requireSession(c);
      const { documentId } = c.req.valid('param');
      const changes = c.req.valid('json');
      if (changes.title === undefined && changes.archived === undefined) {
        throw new AppError('validation_failed', 'Nothing to change.', { fields: { _: 'give title or archived' } });
      }
      const { room } = await authorizeDocument(
        db,
        session,
        documentId,
        changes.title === undefined ? 'document.archive' : 'document.rename',
      );
      if (changes.archived !== undefined) await authorizeDocument(db, session, documentId, 'document.archive');
      const target = { targetType: 'document', targetId: documentId, roomId: room.id };
      const row = (await audited(
        db,
        c,
        (tx) => updateDocument(tx, documentId, changes),
        () => [
          ...(changes.title !== undefined ? [{ action: 'document.rename' as const, ...target }] : []),
          ...(changes.archived !== undefined
            ? [{ action: changes.archived ? ('document.archive' as const) : ('document.restore' as const), ...target }]
            : []),
        ],
      ))!;
      return c.json({ document: toDocumentMeta(row) }, 200);
    },
  );

  return app;
}
