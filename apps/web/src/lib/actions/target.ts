import { tick } from 'svelte';

/**
 * Shows the row of the action `itemId` once it is built: scrolled into the middle of the view
 * and marked (`data-target`, styled by the list view). Not focused: focus in a row tells the
 * others that one edits it.
 */
export async function scrollToTarget(itemId: string): Promise<void> {
  await tick();
  const row = document.querySelector<HTMLElement>(`tr[data-item-id="${CSS.escape(itemId)}"]`);
  if (!row) return;
  row.setAttribute('data-target', '');
  row.scrollIntoView({ block: 'center' });
  // Once more after the next frames: the page may still settle (the router's own scrolling,
  // content arriving above the row).
  requestAnimationFrame(() => requestAnimationFrame(() => row.scrollIntoView({ block: 'center' })));
}
