import { textChange } from '@nordraum/domain';
import type * as Y from 'yjs';

/**
 * An `<input>` bound to a field's collaborative text (see packages/domain shapes/text.ts) while
 * it has focus: what the person types goes in as the smallest change at the caret (never as a
 * replacement of the whole value), and what others type appears as they type it, the caret and
 * selection moved along, so two people typing in one title both keep their words.
 */
export class TextBinding {
  /** What the input and the text agree on (after the last change either way). */
  #value: string;
  readonly #input: HTMLInputElement | HTMLTextAreaElement;
  readonly #text: Y.Text;
  readonly #observer: (event: Y.YTextEvent, transaction: Y.Transaction) => void;
  readonly #onvalue: (value: string) => void;

  /**
   * Binds `input`, which shows `shown` now (what the person typed relative to). `onvalue` hears
   * every value the input takes here: the view must render exactly that, or its next render
   * (a hydrated one especially) writes an older value back into the input under the caret.
   */
  constructor(
    input: HTMLInputElement | HTMLTextAreaElement,
    text: Y.Text,
    shown: string,
    onvalue: (value: string) => void,
  ) {
    this.#input = input;
    this.#text = text;
    this.#value = shown;
    this.#onvalue = onvalue;
    this.#observer = (event, transaction) => {
      if (transaction.origin !== this) this.#remote(event);
    };
    text.observe(this.#observer);
    // What was typed since focus goes in; then the input shows what others wrote meanwhile.
    this.typed();
    if (text.toString() !== input.value) this.#show(text.toString(), null);
  }

  /** The input changed by typing, pasting, cutting: the difference goes into the text. */
  typed(): void {
    const next = this.#input.value;
    const change = textChange(this.#value, next);
    this.#value = next;
    this.#onvalue(next);
    if (change.remove === 0 && change.insert === '') return;
    const apply = () => {
      const length = this.#text.length;
      const index = Math.min(change.index, length);
      if (change.remove > 0) this.#text.delete(index, Math.min(change.remove, length - index));
      if (change.insert) this.#text.insert(index, change.insert);
    };
    if (this.#text.doc) this.#text.doc.transact(apply, this);
    else apply();
    // The text may hold what others typed that the input has not shown yet.
    if (this.#text.toString() !== this.#input.value) this.#show(this.#text.toString(), null);
  }

  /** Sets the text to `value` by the smallest change (e.g. back to the value at focus). */
  reset(value: string): void {
    this.#input.value = value;
    this.typed();
  }

  destroy(): void {
    this.#text.unobserve(this.#observer);
  }

  #remote(event: Y.YTextEvent): void {
    this.#show(this.#text.toString(), event.delta as { insert?: string; delete?: number; retain?: number }[]);
  }

  /** Shows `value`, moving caret and selection over the change described by `delta`. */
  #show(value: string, delta: { insert?: string; delete?: number; retain?: number }[] | null): void {
    const input = this.#input;
    const focused = input.ownerDocument.activeElement === input;
    let start = input.selectionStart ?? value.length;
    let end = input.selectionEnd ?? start;
    if (delta) {
      let index = 0;
      const move = (position: number, op: { insert?: string; delete?: number }) => {
        if (op.insert !== undefined) return index < position ? position + op.insert.length : position;
        return index < position ? position - Math.min(op.delete!, position - index) : position;
      };
      for (const op of delta) {
        if (op.retain !== undefined) index += op.retain;
        else {
          start = move(start, op);
          end = move(end, op);
          if (op.insert !== undefined) index += op.insert.length;
        }
      }
    }
    input.value = value;
    this.#value = value;
    this.#onvalue(value);
    if (focused) input.setSelectionRange(Math.min(start, value.length), Math.min(end, value.length));
  }
}
