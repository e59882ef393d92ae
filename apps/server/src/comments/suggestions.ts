import {
  AppError,
  locatePassage,
  type PassageProblem,
  planSuggestion,
  type SuggestionPlan,
  type ThreadAnchor,
} from '@nordraum/domain';
import type { SyncServer } from '@nordraum/sync';

type TextAnchor = Extract<ThreadAnchor, { type: 'text' }>;

const problems: Record<PassageProblem, string> = {
  removed: 'The passage is no longer in the document.',
  spans_paragraphs: 'A suggested change must lie within one paragraph: select a passage inside one paragraph.',
  pending:
    'The passage was written by edits the server has not received yet. Send again once the document is synchronised.',
};

function liveSync(sync: SyncServer | undefined): SyncServer {
  if (!sync) throw new AppError('internal', 'Document content is not served by this server.');
  return sync;
}

/**
 * Refuses a suggested change that cannot be applied as proposed: not on a passage of notes, or on
 * a passage that is not (or no longer) inside one paragraph of the document (400). A passage of
 * edits not committed here yet is not "gone": 409 `passage_pending`, so the client can send again
 * once its edits have arrived.
 */
export async function checkSuggestion(sync: SyncServer | undefined, documentId: string, anchor: ThreadAnchor) {
  if (anchor.type !== 'text') {
    throw new AppError('validation_failed', 'A suggested change needs a passage of notes.', {
      fields: { 'anchor.type': 'text' },
    });
  }
  const problem = await liveSync(sync).readDocument(documentId, (doc) => {
    const found = locatePassage(doc, anchor);
    return typeof found === 'string' ? found : null;
  });
  if (problem === 'pending') throw new AppError('passage_pending', problems.pending);
  if (problem) throw new AppError('validation_failed', problems[problem], { fields: { anchor: problems[problem] } });
}

/**
 * The edit that accepting a suggestion makes, read from the live document in one go. Refuses a
 * passage that is gone (409 `conflict`), and one that reads differently from its quote unless
 * `confirm` (409 `passage_changed`; `fields.confirm` holds the passage as it reads now).
 */
export async function planAcceptance(
  sync: SyncServer | undefined,
  documentId: string,
  anchor: TextAnchor,
  replacement: string,
  confirm: boolean,
): Promise<Extract<SuggestionPlan, { current: string }>> {
  const plan = await liveSync(sync).readDocument(documentId, (doc) => planSuggestion(doc, anchor, replacement));
  if ('problem' in plan) throw new AppError('conflict', problems[plan.problem]);
  if (plan.current !== anchor.quote && !confirm) {
    throw new AppError(
      'passage_changed',
      'The passage has changed since the suggestion was made. Check it, then accept again with confirm: true.',
      { fields: { confirm: plan.current } },
    );
  }
  return plan;
}

/** Commits an accepted suggestion's edit like a client's: stored, then sent to everyone live. */
export async function applyAcceptance(
  sync: SyncServer | undefined,
  documentId: string,
  update: Uint8Array | null,
  userId: string,
) {
  if (update) await liveSync(sync).commitServerUpdate(documentId, update, userId);
}
