import { flushSync } from 'svelte';

/**
 * Live editing of the fields of one table row: one object and one set of (delegated) event
 * handlers per row instead of a component per field, as a list of a thousand rows would otherwise
 * build six thousand components. LiveField uses it for a single field.
 *
 * Each control carries `data-field`; the row puts `focusin`, `focusout`, `change`, `keydown` and
 * `pointerdown` on the row element and shows `shown(field, value)` as the control's value.
 * While a field has focus it shows the value it had at focus time (or what was chosen or
 * committed here), so a remote edit never moves the caret, replaces a half-typed word or closes
 * an open list. When focus leaves, the shared value shows again. Text fields commit on Enter or
 * when focus leaves, and only what the person changed since focus, never a stale copy over a
 * newer remote value; Escape goes back to the value at focus time.
 */
export interface LiveRowOptions {
  /** The shared value of a field now. */
  value: (field: string) => string;
  /** Takes a new value for a field (only called when it differs from the shared one). */
  commit: (field: string, value: string) => void;
  /** Text fields whose empty value is not taken (e.g. a title). */
  required?: readonly string[];
}

type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type TextElement = HTMLInputElement | HTMLTextAreaElement;

const fieldOf = (target: EventTarget | null): FieldElement | null =>
  (target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement) &&
  target.dataset.field
    ? target
    : null;

/** Typed text: a one-line input, or a text area that wraps a long title over lines (still one line of text). */
const isText = (element: FieldElement | null): element is TextElement =>
  element instanceof HTMLTextAreaElement || (element instanceof HTMLInputElement && element.type === 'text');

export class LiveRow {
  /** The field with focus and what it shows meanwhile. */
  held = $state.raw<{ field: string; value: string } | null>(null);
  /** Selects whose options are built: only once they are first used. */
  expanded = $state.raw<ReadonlySet<string>>(new Set());

  readonly #options: LiveRowOptions;

  constructor(options: LiveRowOptions) {
    this.#options = options;
  }

  /** What the control of `field` shows, given its shared `value`. */
  shown(field: string, value: string): string {
    const held = this.held;
    return held && held.field === field ? held.value : value;
  }

  readonly pointerdown = (event: Event): void => {
    const element = fieldOf(event.target);
    if (element) this.#expand(element);
  };

  readonly focusin = (event: FocusEvent): void => {
    const element = fieldOf(event.target);
    if (!element) return;
    const field = element.dataset.field!;
    this.held = { field, value: this.#options.value(field) };
    this.#expand(element);
  };

  readonly focusout = (event: FocusEvent): void => {
    const element = fieldOf(event.target);
    if (!element) return;
    const field = element.dataset.field!;
    const committed = isText(element) ? this.#commitText(element) : null;
    this.held = null;
    // The shared value (someone else's newer one included), or our commit until it comes back
    // through the document. Set directly: the element may hold text the shared value lacks.
    element.value = committed ?? this.#options.value(field);
  };

  readonly change = (event: Event): void => {
    const element = fieldOf(event.target);
    if (!element || isText(element)) return;
    const field = element.dataset.field!;
    this.held = { field, value: element.value };
    if (element.value !== this.#options.value(field)) this.#options.commit(field, element.value);
  };

  readonly keydown = (event: KeyboardEvent): void => {
    const element = fieldOf(event.target);
    if (!isText(element)) return;
    const held = this.held;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.#commitText(element);
    } else if (event.key === 'Escape' && held && held.field === element.dataset.field && element.value !== held.value) {
      event.preventDefault();
      element.value = held.value;
    }
  };

  /** Commits the text typed since focus (or the last commit); returns what was committed. */
  #commitText(input: TextElement): string | null {
    const field = input.dataset.field!;
    const held = this.held;
    // Enter commits, so a line break can only come with pasted text: it becomes a space.
    const next = input.value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (!held || held.field !== field || next === held.value) return null;
    if (next === '' && this.#options.required?.includes(field)) return null;
    this.held = { field, value: next };
    if (next !== this.#options.value(field)) this.#options.commit(field, next);
    return next;
  }

  #expand(element: FieldElement): void {
    const field = element.dataset.field!;
    if (!(element instanceof HTMLSelectElement) || this.expanded.has(field)) return;
    // Synchronously, so the list is there before the browser opens it.
    flushSync(() => {
      this.expanded = new Set([...this.expanded, field]);
    });
  }
}
