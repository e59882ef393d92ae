import type { Queryable } from '@nordraum/db';
import { countUseUnlessBlocked, type Limit } from './rate-limit.ts';

/**
 * Keeps one account from writing comments faster than people do. Each comment written (a new
 * thread, a reply, an edit) costs the search index's trigger work (an edit rebuilds its thread's
 * entry) and every reader of the document a bigger list; without a limit one account inserted
 * thousands a minute.
 *
 * Fixed windows in PostgreSQL (rate-limit.ts), so every instance counts the same comments. Only
 * written comments count: checked and counted in one statement inside the transaction that writes
 * the comment, a write refused by this limit, by a mention or by a full document leaves the count
 * as it was, so whoever waits is through once the window ends. Writes at the same moment may pass
 * a limit by the few that check together; the limit bounds a flood, not a count.
 */

/** Comments one person may write per minute and per hour. */
export interface CommentLimits {
  perMinute: number;
  perHour: number;
}

/**
 * 30 a minute and 600 an hour: a lively meeting has several a minute from one person (replies
 * in quick succession, a minute-taker noting decisions), far below either.
 */
export const defaultCommentLimits: CommentLimits = { perMinute: 30, perHour: 600 };

function limitsOf(userId: string, limits: CommentLimits): Limit[] {
  return [
    { key: `comment:minute:${userId}`, max: limits.perMinute, windowSeconds: 60 },
    { key: `comment:hour:${userId}`, max: limits.perHour, windowSeconds: 60 * 60 },
  ];
}

/**
 * Seconds the person must wait before writing a comment; 0 counts this one and lets it through.
 * Call it in the transaction that writes the comment, last before the write.
 */
export function commentWriteWait(db: Queryable, userId: string, limits: CommentLimits): Promise<number> {
  return countUseUnlessBlocked(db, limitsOf(userId, limits));
}
