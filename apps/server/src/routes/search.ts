import { matchEnd, matchStart, type SearchHit, searchEntries } from '@nordraum/db';
import { maxSearchQueryLength, parseSearchQuery, schemas, searchKinds } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { viewerOf } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

const searchQuery = z.object({
  q: schemas.text(maxSearchQueryLength),
  room: z.uuid().optional(),
  /** One kind or several, comma-separated. */
  kind: z
    .string()
    .max(200)
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(z.enum(searchKinds)))
    .optional(),
  org: z.string().max(32).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,4}$/, { message: 'not a cursor from an earlier answer' })
    .optional(),
});

const anchor = z.discriminatedUnion('type', [
  z.object({ type: z.literal('milestone'), milestoneId: z.string() }),
  z.object({ type: z.literal('action'), actionId: z.string() }),
  z.object({ type: z.literal('text'), quote: z.string() }),
  z.object({ type: z.literal('thread'), threadId: z.uuid() }),
  z.object({ type: z.literal('decision'), decisionId: z.uuid() }),
]);

const result = z.object({
  kind: z.enum(searchKinds),
  documentId: z.uuid().nullable(),
  roomId: z.uuid(),
  title: z.string(),
  /** Plain text, HTML-escaped, with each match in `<mark>…</mark>`: nothing else is markup. */
  snippet: z.string(),
  anchor: anchor.optional(),
  score: z.number(),
  documentTitle: z.string().nullable(),
  roomName: z.string(),
  organization: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => escapes[character]!);

/** The snippet as escaped text with `<mark>` around matches; the marks come from PostgreSQL, never from text. */
function markSnippet(snippet: string): string {
  return snippet
    .split(matchStart)
    .map((part, index) => {
      if (index === 0) return escapeHtml(part.replaceAll(matchEnd, ''));
      const [match = '', ...rest] = part.split(matchEnd);
      return `<mark>${escapeHtml(match)}</mark>${escapeHtml(rest.join(''))}`;
    })
    .join('');
}

/** Where a result opens: the milestone, the action, the comment thread, the decision, or the first matched words of a protocol. */
function anchorOf(hit: SearchHit): z.infer<typeof anchor> | undefined {
  if (hit.kind === 'milestone' && hit.itemId) return { type: 'milestone', milestoneId: hit.itemId };
  if (hit.kind === 'action' && hit.itemId) return { type: 'action', actionId: hit.itemId };
  if (hit.kind === 'comment' && hit.itemId) return { type: 'thread', threadId: hit.itemId };
  if (hit.kind === 'decision' && hit.itemId) return { type: 'decision', decisionId: hit.itemId };
  if (hit.kind === 'protocol' && hit.itemId !== null) {
    const quote = hit.snippet.split(matchStart)[1]?.split(matchEnd)[0];
    if (quote) return { type: 'text', quote };
  }
  return undefined;
}

/** `GET /api/search`: what the caller may read now, best first. */
export function searchRoutes({ db }: AppDependencies) {
  const app = new Hono<AppEnv>();
  app.get(
    '/search',
    describe('Search every room I may read', 'search', {
      200: z.object({ results: z.array(result), nextCursor: z.string().optional() }),
    }),
    valid('query', searchQuery),
    async (c) => {
      const session = requireSession(c);
      const query = c.req.valid('query');
      const offset = Number(query.cursor ?? 0);
      const hits = await searchEntries(db, viewerOf(session), {
        query: parseSearchQuery(query.q),
        roomId: query.room,
        kinds: query.kind,
        organization: query.org,
        from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
        to: query.to ? new Date(`${query.to}T23:59:59.999Z`) : undefined,
        limit: query.limit,
        offset,
      });
      const page = hits.slice(0, query.limit);
      const results = page.map((hit) => ({
        kind: hit.kind,
        documentId: hit.documentId,
        roomId: hit.roomId,
        title: hit.itemId === null || hit.kind === 'protocol' ? (hit.documentTitle ?? hit.title) : hit.title,
        snippet: markSnippet(hit.snippet),
        anchor: anchorOf(hit),
        score: hit.score,
        documentTitle: hit.documentTitle,
        roomName: hit.roomName,
        organization: hit.organization,
        updatedAt: hit.updatedAt.toISOString(),
      }));
      const more = hits.length > query.limit && offset + query.limit < 10_000;
      return c.json({ results, ...(more ? { nextCursor: String(offset + query.limit) } : {}) }, 200);
    },
  );
  return app;
}
