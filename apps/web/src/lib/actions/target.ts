import { tick } from 'svelte';

/**
 * Shows the row of the action `itemId` once it is built: scrolled into the middle of the view,
 * marked (`data-target`, styled by the list view). Not focused: focus in a row tells the others
 * that one edits it. Called again when the list changes; returns a cancel.
 */
export function scrollToTarget(itemId: string): () => void {
  let cancelled = false;
  void tick().then(() => {
    if (cancelled) return;
    const row = document.querySelector<HTMLElement>(`tr[data-item-id="${CSS.escape(itemId)}"]`);
    if (!row || row.hasAttribute('data-target')) return;
    row.setAttribute('data-target', '');
    row.scrollIntoView({ block: 'center' });
  });
  return () => {
    cancelled = true;
  };
}
