/**
 * The rows of a live table, in an order that holds still while focus is inside the table. Sorted
 * by a value someone else may change (a due date, a start), a row would otherwise move in the
 * DOM under the person editing it and take their focus away. Put `focusin` and `focusout` on the
 * table body; each row carries its id in the attribute `attribute`.
 */
export class FrozenOrder<T extends { id: string }> {
  readonly #items: () => T[];
  readonly #attribute: string;
  readonly #onediting: (id: string | null) => void;
  /** Row id → position when focus entered; null while focus is elsewhere. */
  #frozen = $state.raw<Map<string, number> | null>(null);

  /** The rows to show: `items` as they are, or in the frozen order while focus is inside. */
  readonly rows = $derived.by(() => {
    const items = this.#items();
    const order = this.#frozen;
    if (!order) return items;
    const rank = (item: T) => order.get(item.id) ?? Number.MAX_SAFE_INTEGER;
    return [...items].sort((a, b) => rank(a) - rank(b));
  });

  /** `onediting` hears which row has focus (null once focus left the table). */
  constructor(items: () => T[], attribute: string, onediting: (id: string | null) => void) {
    this.#items = items;
    this.#attribute = attribute;
    this.#onediting = onediting;
  }

  readonly focusin = (event: FocusEvent): void => {
    this.#frozen ??= new Map(this.#items().map((item, index) => [item.id, index]));
    const row = event.target instanceof Element ? event.target.closest(`tr[${this.#attribute}]`) : null;
    this.#onediting(row?.getAttribute(this.#attribute) ?? null);
  };

  readonly focusout = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    if (next && (event.currentTarget as Element).contains(next)) return;
    this.#frozen = null;
    this.#onediting(null);
  };
}
