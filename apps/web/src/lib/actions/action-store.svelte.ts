import { type ActionItem, type ActionList, actionListOf } from '@nordraum/domain';
import type * as Y from 'yjs';
import type { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { type ItemEditor, reconcile, setEditing, watchEditors } from '#lib/roadmap/reconcile.ts';

/**
 * The action list of a document as a reactive list, plus who else edits which item. Over an open
 * session's document; over a plain one (`session` null) when the server renders the first view.
 */
export class ActionStore {
  readonly list: ActionList;
  items = $state.raw<ActionItem[]>([]);
  /** Item id → other people editing it now. */
  editors = $state.raw<Map<string, ItemEditor[]>>(new Map());

  readonly #session: CollabSession | null;
  readonly #cleanups: (() => void)[] = [];

  constructor(doc: Y.Doc, session: CollabSession | null, ownUserId: string | undefined) {
    this.#session = session;
    this.list = actionListOf(doc);
    this.items = this.list.items();
    if (!session) return;
    // Unchanged items keep their object, so a remote edit re-renders one row, not all of them.
    this.#cleanups.push(this.list.observe(() => (this.items = reconcile(this.items, this.list.items()))));
    this.#cleanups.push(
      watchEditors(session, ownUserId, (editors) => {
        this.editors = editors;
      }),
    );
  }

  /** Announces that this tab edits `itemId` (or nothing). */
  editing(itemId: string | null): void {
    if (this.#session) setEditing(this.#session, itemId);
  }

  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
  }
}
