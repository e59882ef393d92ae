import { AppError } from '@nordraum/domain';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { type DecisionAction, decision, document, type PendingFollowUp } from '../schema.ts';

/**
 * A decision's follow-up actions in two steps. Recording the decision keeps the planned edits of
 * the action lists as `pending_follow_ups` in the same transaction; once an edit is in its list's
 * log, {@link completeFollowUp} moves its items into `actions`. So a decision links only actions
 * that exist; what a failed write leaves is pending, and is written again later (start-up).
 */

/**
 * Locks the action lists a decision writes into until its transaction ends (an archive waits) and
 * refuses, with the field named, a list that is no longer a live action list of the room.
 */
export async function lockActionLists(tx: Queryable, roomId: string, listIds: string[]) {
  const unique = [...new Set(listIds)];
  if (unique.length === 0) return;
  const rows = await tx
    .select({ id: document.id })
    .from(document)
    .where(
      and(
        inArray(document.id, unique),
        eq(document.roomId, roomId),
        eq(document.kind, 'actions'),
        isNull(document.archivedAt),
      ),
    )
    .for('share');
  const live = new Set(rows.map((row) => row.id));
  const fields: Record<string, string> = {};
  for (const [index, id] of listIds.entries())
    if (!live.has(id)) fields[`actions.${index}.listId`] = 'not an action list of this room';
  if (Object.keys(fields).length > 0) throw new AppError('validation_failed', 'Some fields are not valid.', { fields });
}

/**
 * Marks a decision's pending edit of `listId` as written: its items join `actions`. Idempotent:
 * a second call (another instance, a retry) finds nothing pending and changes nothing.
 */
export async function completeFollowUp(db: Queryable, decisionId: string, listId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ actions: decision.actions, pending: decision.pendingFollowUps })
      .from(decision)
      .where(eq(decision.id, decisionId))
      .for('update');
    const done = row?.pending.find((entry) => entry.listId === listId);
    if (!row || !done) return false;
    const links: DecisionAction[] = done.itemIds.map((itemId) => ({ listId, itemId }));
    await tx
      .update(decision)
      .set({
        actions: [...row.actions, ...links],
        pendingFollowUps: row.pending.filter((entry) => entry !== done),
      })
      .where(eq(decision.id, decisionId));
    return true;
  });
}

/** Decisions whose follow-up actions are not all written yet, oldest first (for the retry). */
export function decisionsWithPendingFollowUps(db: Queryable) {
  return db
    .select({ id: decision.id, createdBy: decision.createdBy, pending: decision.pendingFollowUps })
    .from(decision)
    .where(sql`jsonb_array_length(${decision.pendingFollowUps}) > 0`)
    .orderBy(decision.createdAt);
}

export type { PendingFollowUp };
