import { decideSuggestion, reopenSuggestion } from '@nordraum/db';
import { AppError, commentSchemas, schemas } from '@nordraum/domain';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordDecision } from '../comments/decision.ts';
import { applyAcceptance, planAcceptance } from '../comments/suggestions.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';
import { oneThread, threadOf } from './threads.ts';

const threadResponse = z.object({ thread: commentSchemas.thread });
const answers = {
  200: threadResponse,
  403: schemas.errorBody,
  404: schemas.errorBody,
  409: schemas.errorBody,
};

/**
 * Deciding on suggested changes: editors and owners (who may write the document) accept a
 * suggestion, which the server applies as an ordinary edit every connected client receives, or
 * reject it. Either resolves the thread, is audited and tells the author; only the first decision counts.
 */
export function suggestionRoutes({ db, live, sync }: AppDependencies) {
  const app = new Hono<AppEnv>();

  async function openSuggestion(c: Context<AppEnv>, threadId: string) {
    const found = await threadOf(db, requireSession(c), threadId, 'document.write');
    const { thread } = found;
    if (thread.suggestionText === null || thread.anchor.type !== 'text') {
      throw new AppError('not_found', 'This thread has no suggested change.');
    }
    if (thread.suggestionStatus !== 'open') throw new AppError('conflict', 'The suggestion has been decided already.');
    return { ...found, anchor: thread.anchor, replacement: thread.suggestionText };
  }

  type Found = Awaited<ReturnType<typeof openSuggestion>>;
  async function decided(c: Context<AppEnv>, found: Found, status: 'accepted' | 'rejected') {
    await recordDecision({ db, live }, c, found, status);
    return c.json({ thread: await oneThread(db, found.thread.id) }, 200);
  }

  app.post(
    '/threads/:threadId/suggestion/accept',
    describe(
      "Accept a thread's suggested change: the passage is replaced by an ordinary edit, the thread resolved. 409 passage_changed when the passage reads differently from its quote (fields.confirm holds how it reads now) unless confirm: true; 409 conflict when it is gone or decided",
      'comments',
      answers,
    ),
    valid('param', commentSchemas.threadIdParam),
    valid('json', commentSchemas.acceptSuggestionBody),
    async (c) => {
      const session = requireSession(c);
      const { threadId } = c.req.valid('param');
      const found = await openSuggestion(c, threadId);
      const { thread, anchor, replacement } = found;
      const confirm = c.req.valid('json').confirm === true;
      const plan = await planAcceptance(sync, thread.documentId, anchor, replacement, confirm);
      // The decision is claimed first, so two editors accepting at once apply the edit once.
      if (!(await decideSuggestion(db, threadId, 'accepted', session.user.id))) {
        throw new AppError('conflict', 'The suggestion has been decided already.');
      }
      try {
        await applyAcceptance(sync, thread.documentId, plan.update, session.user.id);
      } catch (error) {
        await reopenSuggestion(db, threadId);
        throw error;
      }
      return decided(c, found, 'accepted');
    },
  );

  app.post(
    '/threads/:threadId/suggestion/reject',
    describe("Reject a thread's suggested change; the text stays, the thread is resolved", 'comments', answers),
    valid('param', commentSchemas.threadIdParam),
    async (c) => {
      const session = requireSession(c);
      const { threadId } = c.req.valid('param');
      const found = await openSuggestion(c, threadId);
      if (!(await decideSuggestion(db, threadId, 'rejected', session.user.id))) {
        throw new AppError('conflict', 'The suggestion has been decided already.');
      }
      return decided(c, found, 'rejected');
    },
  );

  return app;
}
