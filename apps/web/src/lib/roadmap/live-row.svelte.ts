import { isIsoDate } from '@nordraum/domain';
import { flushSync } from 'svelte';
import type * as Y from 'yjs';
import { isFarFromToday } from './days.ts';
import { TextBinding } from './text-binding.ts';

/**
 * Live editing of the fields of one table row: one object and one set of (delegated) event
 * handlers per row instead of a component per field, as a list of a thousand rows would otherwise
 * build six thousand components. LiveField uses it for a single field.
 *
 * Each control carries `data-field`; the row puts `focusin`, `focusout`, `change`, `input`,
 * `keydown` and `pointerdown` on the row element and shows `shown(field, value)` as the control's
 * value. While a field has focus it shows the value it had at focus time (or what was chosen or
 * committed here), so a remote edit never moves the caret, replaces a half-typed word or closes
 * an open list. When focus leaves, the shared value shows again.
 *
 * Text fields with collaborative text (`text`) are bound to it from the first keystroke
 * (TextBinding): typing goes in at the caret, others' typing shows as it happens, both survive.
 * Other text fields commit on Enter or when focus leaves, only what the person changed since
 * focus. A date is committed once typing in it pauses (`dateSettleMs`), on Enter or when focus
 * leaves: typing 31.02. passes through 31.03., which must not be stored on the way. A date the
 * browser cannot read (31.02.) is never committed: the field is marked invalid (`invalid`) and
 * the stored date stays, for everyone. Escape goes back to the value at focus time.
 */

/** A typed date is taken once the keys have rested this long (ms); a picked one too. */
const dateSettleMs = 800;
export interface LiveRowOptions {
  /** The shared value of a field now. */
  value: (field: string) => string;
  /** Takes a new value for a field (only called when it differs from the shared one). */
  commit: (field: string, value: string) => void;
  /** Text fields whose empty value is not taken (e.g. a title). */
  required?: readonly string[];
  /**
   * The collaborative text of a field, for typing into live; null for fields that are not text.
   * Asked on the first keystroke only: it may convert an old field, which is a change.
   */
  text?: (field: string) => Y.Text | null;
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
/** The same as a plain answer, where a type guard would narrow a date input away. */
const typesText = (element: FieldElement): boolean => isText(element);
/**
 * A date input holding something that is no date (31.02.: the browser's value is then ''), or a
 * date the shapes refuse (a year of five digits, which the browser takes).
 */
const isBadDate = (element: FieldElement) =>
  element instanceof HTMLInputElement &&
  element.type === 'date' &&
  (element.validity.badInput || (element.value !== '' && !isIsoDate(element.value)));

export class LiveRow {
  /** The field with focus and what it shows meanwhile. */
  held = $state.raw<{ field: string; value: string } | null>(null);
  /** Selects whose options are built: only once they are first used. */
  expanded = $state.raw<ReadonlySet<string>>(new Set());
  /** Fields holding an entry that was not taken (an impossible date): shown as invalid. */
  invalid = $state.raw<ReadonlySet<string>>(new Set());
  /**
   * A date more than a few years from today (2099 typed for 2029), not taken until confirmed:
   * the field keeps showing it with a question next to it; Enter or `confirmFar` takes it,
   * Escape or another date drops it. Whoever else has the document open sees nothing meanwhile.
   */
  far = $state.raw<{ field: string; value: string } | null>(null);

  readonly #options: LiveRowOptions;
  /** The text field bound to its collaborative text, and what it showed at focus. */
  #binding: { field: string; binding: TextBinding; atFocus: string } | null = null;
  /** A date waiting for the keys to rest before it is committed. */
  #pendingDate: { element: HTMLInputElement; timer: ReturnType<typeof setTimeout> } | null = null;

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
    // A field left with an impossible date keeps showing it (and the stored value) until fixed.
    if (!this.invalid.has(field) && this.far?.field !== field) this.held = { field, value: this.#options.value(field) };
    this.#expand(element);
  };

  readonly focusout = (event: FocusEvent): void => {
    const element = fieldOf(event.target);
    if (!element) return;
    const field = element.dataset.field!;
    if (this.#binding?.field === field) {
      this.#leaveText(element as TextElement, field);
      return;
    }
    if (isBadDate(element)) {
      this.#cancelDate();
      this.#markInvalid(field, true);
      return;
    }
    let date = this.#pendingDate?.element === element ? this.#commitDate() : null;
    // A far-off date waiting for confirmation stays shown (and not stored) after focus leaves.
    if (this.far?.field === field && this.far.value === element.value) return;
    if (this.invalid.has(field)) {
      // The impossible date was cleared or fixed without the browser telling (no change event).
      this.#markInvalid(field, false);
      if (element.value !== this.#options.value(field)) this.#options.commit(field, element.value);
      date = element.value;
    }
    const committed = date ?? (isText(element) ? this.#commitText(element) : null);
    this.held = null;
    // The shared value (someone else's newer one included), or our commit until it comes back
    // through the document. Set directly: the element may hold text the shared value lacks.
    element.value = committed ?? this.#options.value(field);
  };

  readonly change = (event: Event): void => {
    const element = fieldOf(event.target);
    // Not a type guard here: a date input is an HTMLInputElement too.
    if (!element || typesText(element)) return;
    const field = element.dataset.field!;
    if (isBadDate(element)) {
      this.#cancelDate();
      this.#markInvalid(field, true);
      return;
    }
    this.#markInvalid(field, false);
    if (this.far?.field === field && this.far.value !== element.value) this.far = null;
    this.held = { field, value: element.value };
    if (element instanceof HTMLInputElement && element.type === 'date') this.#settleDate(element);
    else if (element.value !== this.#options.value(field)) this.#options.commit(field, element.value);
  };

  /** Typing in a text field: bound to its collaborative text from the first keystroke. */
  readonly input = (event: Event): void => {
    const element = fieldOf(event.target);
    if (!isText(element) || (event as InputEvent).isComposing) return;
    const field = element.dataset.field!;
    if (this.#binding?.field === field) {
      this.#binding.binding.typed();
      return;
    }
    const text = this.#options.text?.(field);
    if (!text) return;
    this.#binding?.binding.destroy();
    const shown = this.held?.value ?? this.#options.value(field);
    const binding = new TextBinding(element, text, shown, (value) => {
      this.held = { field, value };
    });
    this.#binding = { field, binding, atFocus: shown };
  };

  readonly keydown = (event: KeyboardEvent): void => {
    const element = fieldOf(event.target);
    if (!element) return;
    const field = element.dataset.field!;
    const held = this.held;
    if (element instanceof HTMLInputElement && element.type === 'date') {
      this.#dateKey(event, element, field);
      return;
    }
    if (!isText(element)) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (this.#binding?.field !== field) this.#commitText(element);
    } else if (event.key === 'Escape' && this.#binding?.field === field) {
      event.preventDefault();
      this.#binding.binding.reset(this.#binding.atFocus);
    } else if (event.key === 'Escape' && held && held.field === field && element.value !== held.value) {
      event.preventDefault();
      element.value = held.value;
    }
  };

  /** Focus leaves a bound text field: a required one left empty gets its value at focus back. */
  #leaveText(input: TextElement, field: string): void {
    const { binding, atFocus } = this.#binding!;
    if (input.value.trim() === '' && this.#options.required?.includes(field)) binding.reset(atFocus);
    binding.destroy();
    this.#binding = null;
    this.held = null;
  }

  /** Keys in a date field: Escape restores the stored date, Enter commits, others wait. */
  #dateKey(event: KeyboardEvent, element: HTMLInputElement, field: string): void {
    const far = this.far?.field === field;
    if (event.key === 'Escape' && (far || this.invalid.has(field) || this.#pendingDate?.element === element)) {
      event.preventDefault();
      this.#cancelDate();
      this.far = null;
      element.value = this.#options.value(field);
      this.held = { field, value: element.value };
      this.#markInvalid(field, false);
    } else if (event.key === 'Enter' && far && this.far!.value === element.value && !this.#pendingDate) {
      event.preventDefault();
      this.confirmFar();
    } else if (event.key === 'Enter' && this.#pendingDate?.element === element) {
      event.preventDefault();
      this.#commitDate();
    } else if (this.#pendingDate?.element === element) {
      this.#settleDate(element);
    }
  }

  #settleDate(element: HTMLInputElement): void {
    this.#cancelDate();
    this.#pendingDate = { element, timer: setTimeout(() => this.#commitDate(), dateSettleMs) };
  }

  #cancelDate(): void {
    if (this.#pendingDate) clearTimeout(this.#pendingDate.timer);
    this.#pendingDate = null;
  }

  /** Commits the date waiting to settle, unless it turned into no date meanwhile; returns it. */
  #commitDate(): string | null {
    const pending = this.#pendingDate;
    this.#cancelDate();
    if (!pending || isBadDate(pending.element)) return null;
    const field = pending.element.dataset.field!;
    const { value } = pending.element;
    if (value === this.#options.value(field)) return value;
    if (isFarFromToday(value)) {
      this.far = { field, value };
      return null;
    }
    this.far = null;
    this.#options.commit(field, value);
    return value;
  }

  /** Takes the far-off date waiting for confirmation (see `far`). */
  confirmFar(): void {
    const far = this.far;
    if (!far) return;
    this.far = null;
    this.held = null;
    if (far.value !== this.#options.value(far.field)) this.#options.commit(far.field, far.value);
  }

  #markInvalid(field: string, invalid: boolean): void {
    if (this.invalid.has(field) === invalid) return;
    const next = new Set(this.invalid);
    if (invalid) next.add(field);
    else next.delete(field);
    this.invalid = next;
  }

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
