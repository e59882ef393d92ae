import * as Y from 'yjs';
import { fromBase64, type ThreadAnchor } from './comments.ts';

/**
 * Suggested changes (Änderungsvorschläge): a passage of notes and the text proposed in its place.
 *
 * A suggestion covers a passage inside one paragraph (one `Y.XmlText` of the notes fragment):
 * replacing it is then one delete and one insert in that text, an ordinary edit every client
 * merges, and the passage's formatting carries over to the new words. The anchor's `quote` is what
 * the proposer saw; when the passage reads differently now, accepting needs a confirmation.
 */

type TextAnchor = Extract<ThreadAnchor, { type: 'text' }>;

/** Where a passage is now in a document: one paragraph's text and the range in it. */
export interface LocatedPassage {
  text: Y.XmlText;
  from: number;
  to: number;
  /** The passage's text now (an embedded object counts as U+FFFC). */
  current: string;
}

/**
 * Why a passage cannot take a suggestion: deleted, not inside one paragraph, or `pending`: its
 * words were written by edits this copy has not received yet (the anchor names a Yjs item past
 * the copy's clock for that client), so it cannot tell whether the passage exists.
 */
export type PassageProblem = 'removed' | 'spans_paragraphs' | 'pending';

/** Whether a relative position names an item or type that `doc` has not received yet. */
function unseen(position: Y.RelativePosition, doc: Y.Doc): boolean {
  const ids = [position.item, position.type].filter((id): id is Y.ID => id !== null);
  return ids.some((id) => Y.getState(doc.store, id.client) <= id.clock);
}

/** A paragraph text's characters, as ProseMirror counts them. */
function plainOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[])
    .map((part) => (typeof part.insert === 'string' ? part.insert : '\ufffc'))
    .join('');
}

/** Finds the passage of a text anchor in `doc`. */
export function locatePassage(doc: Y.Doc, anchor: TextAnchor): LocatedPassage | PassageProblem {
  let start: Y.AbsolutePosition | null;
  let end: Y.AbsolutePosition | null;
  try {
    const relative = [anchor.start, anchor.end].map((position) => Y.decodeRelativePosition(fromBase64(position)));
    // An item this copy has not seen resolves to null, which must not read as "deleted".
    if (relative.some((position) => unseen(position, doc))) return 'pending';
    start = Y.createAbsolutePositionFromRelativePosition(relative[0]!, doc);
    end = Y.createAbsolutePositionFromRelativePosition(relative[1]!, doc);
  } catch {
    return 'removed';
  }
  if (!start || !end) return 'removed';
  if (start.type !== end.type || !(start.type instanceof Y.XmlText)) return 'spans_paragraphs';
  const text = start.type;
  // A text whose paragraph was deleted still resolves; it is no longer in the document.
  if (text._item?.deleted || (text.parent instanceof Y.XmlElement && text.parent._item?.deleted)) return 'removed';
  if (end.index <= start.index) return 'removed';
  return { text, from: start.index, to: end.index, current: plainOf(text).slice(start.index, end.index) };
}

/** Attributes (marks) of the character at `index`, so a replacement keeps the passage's formatting. */
function attributesAt(text: Y.XmlText, index: number): Record<string, unknown> | undefined {
  let at = 0;
  for (const part of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof part.insert === 'string' ? part.insert.length : 1;
    if (index < at + length) return part.attributes;
    at += length;
  }
  return undefined;
}

/** What accepting a suggestion does to a document: the passage as it reads now, and the edit. */
export type SuggestionPlan = { current: string; update: Uint8Array | null } | { problem: PassageProblem };

/**
 * The Yjs update that replaces the passage of `anchor` by `replacement` in `live`, made on a copy
 * (the live document is not changed); `update` is null when the passage already reads so.
 */
export function planSuggestion(live: Y.Doc, anchor: TextAnchor, replacement: string): SuggestionPlan {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    const passage = locatePassage(copy, anchor);
    if (typeof passage === 'string') return { problem: passage };
    const { text, from, to, current } = passage;
    if (current === replacement) return { current, update: null };
    const before = Y.encodeStateVector(copy);
    const attributes = attributesAt(text, from);
    copy.transact(() => {
      text.delete(from, to - from);
      if (replacement) text.insert(from, replacement, attributes ?? {});
    });
    return { current, update: Y.encodeStateAsUpdate(copy, before) };
  } finally {
    copy.destroy();
  }
}
