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
  keepShown(() => element.scrollIntoView({ block: 'center', inline: 'center' }));
}

/**
 * Applies `show` now and again while the page settles (for `ms`): content arriving above the
 * target (the router's own scrolling, a document's reviews, a banner) would otherwise push it out
 * of view, or the router scroll to the top. Stops at the person's own first scroll, key or click.
 */
export function keepShown(show: () => void, ms = 2_000): void {
  show();
  let frame = 0;
  const again = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => show());
  };
  const observer = new ResizeObserver(again);
  observer.observe(document.body);
  // A scroll no key, wheel or touch of the person's caused: the router's (to the top after a
  // navigation to the same page). Showing again is a no-op once the target is in view.
  addEventListener('scroll', again, { passive: true });
  const events = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    removeEventListener('scroll', again);
    for (const name of events) removeEventListener(name, stop, true);
  };
  const timer = setTimeout(stop, ms);
  for (const name of events) addEventListener(name, stop, true);
}

/** The id in a link's fragment `#<prefix>-<id>` (decoded), or null. */
export function targetId(prefix: string, hash = location.hash): string | null {
  const match = new RegExp(`^#${prefix}-(.+)$`).exec(hash);
  return match ? decodeURIComponent(match[1]!) : null;
}
