import { completeFollowUp, type Database, decisionsWithPendingFollowUps, type PendingFollowUp } from '@nordraum/db';
import { actionListOf } from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';
import type { Logger } from 'pino';

/**
 * Writes a decision's follow-up actions into their action lists. The decision was committed with
 * them as pending edits (see packages/db follow-ups.ts); each edit goes through the sync server's
 * commit path like any edit (log first, then every connected client), and only then do its items
 * count as the decision's actions. Safe to repeat: an edit whose items are already in the list is
 * not written again, and a Yjs update written twice changes nothing the second time.
 */

/** Writes the pending edits of one decision; returns how many could not be written (they stay pending). */
export async function writeFollowUps(
  db: Database,
  sync: SyncServer,
  decision: { id: string; createdBy: string | null; pending: PendingFollowUp[] },
  log: Logger,
): Promise<number> {
  let failed = 0;
  for (const entry of decision.pending) {
    try {
      const present = await sync.readDocument(entry.listId, (doc) => {
        const list = actionListOf(doc);
        return entry.itemIds.every((itemId) => list.item(itemId) !== undefined);
      });
      if (!present)
        await sync.commitServerUpdate(entry.listId, Buffer.from(entry.update, 'base64'), decision.createdBy);
      await completeFollowUp(db, decision.id, entry.listId);
    } catch (error) {
      failed += 1;
      log.error({ err: error, decisionId: decision.id, listId: entry.listId }, 'follow-up actions not written yet');
    }
  }
  return failed;
}

/** Writes every decision's pending follow-up actions (on start-up); resolves with how many are still pending. */
export async function retryFollowUps(db: Database, sync: SyncServer, log: Logger): Promise<number> {
  let failed = 0;
  for (const decision of await decisionsWithPendingFollowUps(db))
    failed += await writeFollowUps(db, sync, decision, log);
  if (failed > 0) log.warn({ failed }, 'some follow-up actions are still pending');
  return failed;
}
