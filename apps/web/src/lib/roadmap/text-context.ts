import { getContext, setContext } from 'svelte';
import type * as Y from 'yjs';

/** The collaborative text of an item's field (a title, a description); null when not editable. */
export type ItemTextOf = (itemId: string, field: 'title' | 'description', convert?: boolean) => Y.Text | null;

const key = Symbol('item-text');

/**
 * Handed from a list view (roadmap, action list) to its rows through context, so the table
 * between them, which only lays the rows out, need not pass it along.
 */
export function provideItemText(textOf: ItemTextOf): void {
  setContext(key, textOf);
}

/** The rows' side of {@link provideItemText}; without a provider, text fields commit on leaving. */
export function itemText(): ItemTextOf | undefined {
  return getContext<ItemTextOf | undefined>(key);
}
