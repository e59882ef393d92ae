import { flushSync } from 'svelte';

/**
 * The rows of a long table that are worth building: those in and near the browser window, plus
 * the row that has focus wherever it is. A thousand rows of form controls take the browser the
 * better part of a second to build and lay out; the forty on screen take a few milliseconds.
 *
 * The page scrolls as a whole; rows out of reach are replaced by empty spacer rows of their
 * height (measured once a row was shown, estimated before), so the scrollbar, find-by-scrolling
 * and the position of everything below the table stay as if every row were there. The table
 * tells assistive technology the full count (`aria-rowcount`, `aria-rowindex` per row). Short
 * tables, any table whose person asked for all rows, and every table while it is printed, are
 * built whole.
 *
 * Put `attach` on the table body (`{@attach}`) and render `entries`: spacers as an empty row of
 * `gap` pixels, the rest as rows whose element carries the row's id in `attribute`.
 */
export type WindowEntry<T> = { key: string; gap: number } | { key: string; item: T; index: number };

export interface RowWindowOptions<T> {
  rows: () => T[];
  /** Whether to window at all, e.g. false when the person asked for every row at once. */
  windowed: () => boolean;
  /** The id of a row to keep built wherever it is: the one with focus, so nothing typed is lost. */
  keep: () => string | null;
  /** The attribute of a row element that holds its id. */
  attribute: string;
}

/** Tables up to this many rows are built whole. */
export const WINDOW_THRESHOLD = 150;
/** Height of a row in pixels before any was measured: one line of form controls. */
const ESTIMATE = 56;
/** How far beyond the window rows are built: enough to scroll a little and to tab on. */
const AHEAD = 900;
const BEHIND = 500;
/** Pixels of rows built before the window was measured: about a laptop screen's worth. */
const FIRST_VIEW = 800;

export class RowWindow<T extends { id: string }> {
  readonly #options: RowWindowOptions<T>;
  /** Measured heights by row id; `#measured` counts changes so the entries follow them. */
  readonly #heights = new Map<string, number>();
  #measured = $state(0);
  #total = 0;
  #settled = $state(false);
  /** Between `beforeprint` and `afterprint`: paper has no scrolling, so every row is built. */
  #printing = $state(false);
  /**
   * The part of the table body inside the browser window, in the body's own pixels. Until it is
   * measured, a fixed guess rather than the window's height: a table rendered on the server must
   * be built with the same rows when the browser takes it over.
   */
  #view = $state.raw({ top: 0, bottom: FIRST_VIEW });

  constructor(options: RowWindowOptions<T>) {
    this.#options = options;
  }

  /** True while only part of the rows is built. */
  readonly active = $derived.by(
    () => this.#options.windowed() && !this.#printing && this.#options.rows().length > WINDOW_THRESHOLD,
  );

  readonly entries: WindowEntry<T>[] = $derived.by(() => {
    const rows = this.#options.rows();
    if (!this.active) return rows.map((item, index) => ({ key: `row:${item.id}`, item, index }));
    void this.#measured;
    const { top, bottom } = this.#view;
    // Before the first measurement only what can fill one window: the first paint comes sooner.
    const [behind, ahead] = this.#settled ? [BEHIND, AHEAD] : [0, 0];
    const keep = this.#options.keep();
    this.#forgetRemoved(rows);
    // Rows not shown yet are estimated like the ones measured so far.
    const estimate = this.#heights.size ? this.#total / this.#heights.size : ESTIMATE;
    const height = (item: T) => this.#heights.get(item.id) ?? estimate;

    // Spacers are keyed by the row they precede, not by their position: a spacer whose key moved
    // to another place would make Svelte move the rows around it, and moving the row with focus
    // takes its focus (and the caret) away.
    const entries: WindowEntry<T>[] = [];
    let children = 0;
    let gap = 0;
    let y = 0;
    rows.forEach((item, index) => {
      const h = height(item);
      const near = y + h > top - behind && y < bottom + ahead;
      y += h;
      if (!near && item.id !== keep) {
        gap += h;
        return;
      }
      if (gap > 0 || children % 2 !== index % 2) {
        entries.push({ key: `gap:${item.id}`, gap });
        children += 1;
        // Striped tables count children: keep every row on the stripe it has in the whole table.
        if (children % 2 !== index % 2) {
          entries.push({ key: `pad:${item.id}`, gap: 0 });
          children += 1;
        }
        gap = 0;
      }
      entries.push({ key: `row:${item.id}`, item, index });
      children += 1;
    });
    if (gap > 0) entries.push({ key: 'gap:end', gap });
    return entries;
  });

  /** Drops the heights of rows that are gone (deleted, or filtered away for good). */
  #forgetRemoved(rows: T[]): void {
    if (this.#heights.size <= rows.length + WINDOW_THRESHOLD) return;
    const present = new Set(rows.map((row) => row.id));
    for (const [id, height] of this.#heights) {
      if (present.has(id)) continue;
      this.#heights.delete(id);
      this.#total -= height;
    }
  }

  /** Follows scrolling and measures the rows as they are shown; builds every row for printing. */
  readonly attach = (body: HTMLElement): (() => void) => {
    let frame = 0;
    let remeasured = false;
    const follow = () => {
      frame = 0;
      this.#settled = true;
      // Taken up in a frame of its own: new rows built from inside the observer's callback would
      // be measured in the same frame, which the browser reports as a ResizeObserver loop.
      if (remeasured) {
        remeasured = false;
        this.#measured += 1;
      }
      const rect = body.getBoundingClientRect();
      const next = { top: -rect.top, bottom: window.innerHeight - rect.top };
      // A few pixels of scrolling change nothing worth a new list of entries.
      if (Math.abs(next.top - this.#view.top) > 40 || Math.abs(next.bottom - this.#view.bottom) > 40) this.#view = next;
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(follow);
    };
    const sizes = new ResizeObserver((records) => {
      let changed = false;
      for (const record of records) {
        const id = (record.target as HTMLElement).getAttribute(this.#options.attribute);
        const height = record.borderBoxSize[0]?.blockSize ?? (record.target as HTMLElement).offsetHeight;
        const before = id ? this.#heights.get(id) : undefined;
        if (!id || height === 0 || Math.abs((before ?? -1) - height) < 0.5) continue;
        this.#total += height - (before ?? 0);
        this.#heights.set(id, height);
        changed = true;
      }
      remeasured ||= changed;
      schedule();
    });
    const selector = `tr[${this.#options.attribute}]`;
    const watch = (node: Node) => {
      if (node instanceof HTMLElement && node.matches(selector)) sizes.observe(node);
    };
    const rows = new MutationObserver((records) => {
      for (const record of records) {
        record.addedNodes.forEach(watch);
        for (const node of record.removedNodes) if (node instanceof HTMLElement) sizes.unobserve(node);
      }
    });
    body.querySelectorAll(selector).forEach(watch);
    rows.observe(body, { childList: true });
    addEventListener('scroll', schedule, { passive: true, capture: true });
    addEventListener('resize', schedule, { passive: true });
    // The browser lays the page out for paper right after `beforeprint`: the rows must be in the
    // document by then, not at the next update.
    const print = () => flushSync(() => (this.#printing = true));
    const printed = () => (this.#printing = false);
    addEventListener('beforeprint', print);
    addEventListener('afterprint', printed);
    // Not now: measuring the body while the page is still being built would lay it all out twice.
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      sizes.disconnect();
      rows.disconnect();
      removeEventListener('scroll', schedule, { capture: true });
      removeEventListener('resize', schedule);
      removeEventListener('beforeprint', print);
      removeEventListener('afterprint', printed);
    };
  };
}
