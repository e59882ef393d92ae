/**
 * Groups committed log entries by document until the end of the turn in which their commit
 * returned, so that a batch's entries of one document are applied and sent together.
 *
 * Invariants:
 * - An entry is added only once it is durable (commit before broadcast): nothing here delays
 *   the commit, only what happens after it.
 * - A group is handed on in the order its entries were added: for one document, the log order,
 *   since the append log resolves a batch's entries in order, and batches in the order they
 *   started, even when two commit at once (`maxInFlight`).
 * - Groups are handed on in a microtask, after every entry the same commit resolved has been
 *   added (their continuations are queued before it): no timer, no wait beyond the current turn.
 * - `flush` hands a document's group on at once, for a caller that must see its entry applied.
 */

/** Options for {@link createCommitGroups}. */
export interface CommitGroupsOptions<Document, Entry> {
  /** Applies one document's committed entries, in log order. */
  apply(document: Document, entries: Entry[]): void;
  /** Told when `apply` threw for a group (the other groups are still applied). */
  onError(error: unknown, document: Document): void;
}

/** Creates the grouping of committed entries per document. */
export function createCommitGroups<Document, Entry>(options: CommitGroupsOptions<Document, Entry>) {
  let waiting = new Map<Document, Entry[]>();
  let scheduled = false;

  function applyGroup(document: Document, entries: Entry[]) {
    try {
      options.apply(document, entries);
    } catch (error) {
      options.onError(error, document);
    }
  }

  function drain() {
    scheduled = false;
    const groups = waiting;
    waiting = new Map();
    for (const [document, entries] of groups) applyGroup(document, entries);
  }

  return {
    /** Adds a committed entry of `document`; its group is applied at the end of this turn. */
    add(document: Document, entry: Entry) {
      const entries = waiting.get(document);
      if (entries) entries.push(entry);
      else waiting.set(document, [entry]);
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(drain);
    },
    /** Applies what waits for `document` now. */
    flush(document: Document) {
      const entries = waiting.get(document);
      if (!entries) return;
      waiting.delete(document);
      applyGroup(document, entries);
    },
  };
}
