import { AppError, readNotesTree, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { authorizeDocument, authorizeRoom } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { checkActionList, planForRoom, transferActions } from '../protocol-actions.ts';

const denied = { 403: schemas.errorBody, 404: schemas.errorBody };

/** A protocol's actions table: read (for the preview), and put into an action list of its room. */
export function protocolActionRoutes({ db, sync }: AppDependencies) {
  const app = new Hono<AppEnv>();

  /** The notes document's metadata and content, for a reader of it; 400 for another kind. */
  async function protocol(documentId: string, session: ReturnType<typeof requireSession>) {
    const { document, room } = await authorizeDocument(db, session, documentId, 'document.read');
    if (document.kind !== 'notes' || !sync) {
      throw new AppError('validation_failed', 'Only a protocol has actions to take over.', {
        fields: { documentId: 'not a protocol (notes document)' },
      });
    }
    return { room, blocks: await sync.readDocument(documentId, readNotesTree) };
  }

  app.get(
    '/documents/:documentId/protocol-actions',
    describe("A protocol's actions table as it would go into an action list", 'documents', {
      200: z.object({ actions: z.array(schemas.plannedAction) }),
      ...denied,
    }),
    valid('param', schemas.documentIdParam),
    async (c) => {
      const { room, blocks } = await protocol(c.req.valid('param').documentId, requireSession(c));
      return c.json({ actions: await planForRoom(db, room.id, blocks) }, 200);
    },
  );

  app.post(
    '/documents/:documentId/protocol-actions',
    describe(
      "Put a protocol's actions into an action list of its room, as a live edit (owners and editors); titles already in the list are skipped",
      'documents',
      { 200: schemas.protocolActionsResult, ...denied },
    ),
    valid('param', schemas.documentIdParam),
    valid('json', schemas.protocolActionsBody),
    async (c) => {
      const session = requireSession(c);
      const { room, blocks } = await protocol(c.req.valid('param').documentId, session);
      await authorizeRoom(db, session, room.id, 'document.write');
      const { listId } = c.req.valid('json');
      await checkActionList(db, room.id, listId);
      const result = await transferActions(db, sync!, { roomId: room.id, listId, blocks, userId: session.user.id });
      return c.json(result, 200);
    },
  );

  return app;
}
