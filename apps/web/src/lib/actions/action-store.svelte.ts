import { type ActionItem, type ActionList, actionListOf } from '@nordraum/domain';
import type { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { type ItemEditor, reconcile, setEditing, watchEditors } from '#lib/roadmap/reconcile.ts';

/** The action list of one open session as a reactive list, plus who else edits which item. */
export class ActionStore {
  readonly list: ActionList;
  items = $state.raw<ActionItem[]>([]);
  /** Item id → other people editing it now. */
  editors = $state.raw<Map<string, ItemEditor[]>>(new Map());

  readonly #session: CollabSession;
  readonly #cleanups: (() => void)[] = [];

  constructor(session: CollabSession, ownUserId: string | undefined) {
    this.#session = session;
    this.list = actionListOf(session.doc);
    this.items = this.list.items();
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
    setEditing(this.#session, itemId);
  }

  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
  }
}
