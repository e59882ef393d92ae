import { tick } from 'svelte';

/**
 * Shows the element a link points at (`#action-<id>`, `#milestone-<id>`, from "Meine Aufgaben",
 * a calendar entry or a search result) once it is built: scrolled into the middle of the view
 * and marked (`data-target`, styled by the view). Not focused: focus in a row or on a bar tells
 * the others that one edits it.
 */
export async function scrollToTarget(selector: string): Promise<void> {
  await tick();
  const element = document.querySelector<Element>(selector);
  if (!element) return;
  element.setAttribute('data-target', '');
  const show = () => element.scrollIntoView({ block: 'center', inline: 'center' });
  show();
  // Once more after the next frames: the page may still settle (the router's own scrolling,
  // content arriving above the row).
  requestAnimationFrame(() => requestAnimationFrame(show));
}

/** The id in a link's fragment `#<prefix>-<id>` (decoded), or null. */
export function targetId(prefix: string, hash = location.hash): string | null {
  const match = new RegExp(`^#${prefix}-(.+)$`).exec(hash);
  return match ? decodeURIComponent(match[1]!) : null;
}
