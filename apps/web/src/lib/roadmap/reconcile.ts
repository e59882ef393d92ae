import type { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { organizationColor } from '#lib/editor/org-colors.ts';

/**
 * Keeps the previous object for every entry whose fields did not change, so keyed `{#each}`
 * blocks skip unchanged rows: one remote edit then touches one row, not a thousand.
 */
export function reconcile<T extends { id: string }>(previous: readonly T[], next: T[]): T[] {
  if (previous.length === 0) return next;
  const known = new Map(previous.map((entry) => [entry.id, entry]));
  return next.map((entry) => {
    const old = known.get(entry.id);
    return old && sameFields(old, entry) ? old : entry;
  });
}

function sameFields(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of Object.keys(right)) {
    const x = left[key];
    const y = right[key];
    if (x === y) continue;
    // Arrays (owners, issues) are small: compare their JSON.
    if (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    return false;
  }
  return true;
}

/** Someone else working on one item right now, from their awareness state. */
export interface ItemEditor {
  userId: string;
  name: string;
  organization: string;
  color: string;
}

/**
 * Who edits which item, from the awareness field `editing` (an item id) of the other people in
 * the document; one's own other tabs do not count. Calls `onchange` with a map item id → editors.
 */
export function watchEditors(
  session: CollabSession,
  ownUserId: string | undefined,
  onchange: (editors: Map<string, ItemEditor[]>) => void,
): () => void {
  const { awareness } = session.provider;
  const update = () => {
    const editors = new Map<string, ItemEditor[]>();
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === session.doc.clientID || !state) continue;
      const editing = state.editing;
      const user = state.user as Record<string, unknown> | undefined;
      if (typeof editing !== 'string' || !user || typeof user.id !== 'string' || typeof user.name !== 'string')
        continue;
      if (user.id === ownUserId) continue;
      const organization = typeof user.organization === 'string' ? user.organization : '';
      const list = editors.get(editing) ?? [];
      if (!list.some((entry) => entry.userId === user.id)) {
        list.push({ userId: user.id, name: user.name, organization, color: organizationColor(organization) });
      }
      editors.set(editing, list);
    }
    onchange(editors);
  };
  awareness.on('change', update);
  update();
  return () => awareness.off('change', update);
}

/** Announces in awareness which item this tab edits (null: none); read-only tabs send nothing. */
export function setEditing(session: CollabSession, itemId: string | null): void {
  const { awareness } = session.provider;
  const state = awareness.getLocalState();
  if (!state || (state.editing ?? null) === itemId) return;
  awareness.setLocalStateField('editing', itemId);
}
