import { tick } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';

/** Up to this many threads, every card is drawn full at once. */
export const fullCardsUpTo = 30;

/**
 * Which threads of a long list are drawn as their full card (ThreadCard); the others are a cheap
 * summary (ThreadSummary) until one comes near the view, is opened with its button, or is asked
 * for by a link. A summary holding the focus hands it to its full card.
 */
export class CardUpgrades {
  readonly full = new SvelteSet<string>();
  #observer: IntersectionObserver | null = null;

  upgrade(id: string, focus = false): void {
    if (this.full.has(id)) return;
    const summary = document.getElementById(`thread-${id}`);
    if (summary) this.#observer?.unobserve(summary);
    const focused = focus || (summary?.contains(document.activeElement) ?? false);
    this.full.add(id);
    if (focused) void tick().then(() => document.getElementById(`thread-${id}`)?.focus());
  }

  /** The list's delegated click handler: a summary's button opens its full card. */
  readonly onclick = (event: MouseEvent): void => {
    const button = (event.target as Element | null)?.closest<HTMLElement>('[data-open-thread]');
    if (button?.dataset.openThread) this.upgrade(button.dataset.openThread, true);
  };

  /** Watches the list's summaries (again after every redraw; watching twice changes nothing). */
  observe(list: HTMLElement): void {
    if (typeof IntersectionObserver !== 'function') return;
    this.#observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.summary;
          if (entry.isIntersecting && id) this.upgrade(id);
        }
      },
      { rootMargin: '300px 0px' },
    );
    for (const element of list.querySelectorAll<HTMLElement>('[data-summary]')) this.#observer.observe(element);
  }

  disconnect(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }
}
