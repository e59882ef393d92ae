import * as Y from 'yjs';
import { blockText, notesText } from '../history/render.ts';

/** About this many characters of a protocol make one passage (an agenda item, a few paragraphs). */
export const passageLength = 1_500;

/** One passage of a protocol: a key that stays while the passage is edited, and its text. */
export interface Passage {
  itemId: string;
  body: string;
}

/**
 * A protocol's text in passages of whole lines: a result names the passage it was found in, and
 * its snippet and rank are computed over a passage, not over a document of fifty pages.
 */
export function passages(text: string): string[] {
  const result: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current !== '' && current.length + line.length > passageLength) {
      result.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current.trim() !== '') result.push(current);
  return result;
}

/**
 * The text of a notes document's top-level blocks as last read, kept between two readings so
 * that a reading walks only the blocks changed since (typing into a protocol of 5 MB changes one
 * paragraph; reading it all took a tenth of a second). Keyed by the Yjs types themselves, weakly:
 * one cache serves every document, and a document that left memory leaves nothing behind. It is
 * right only if it hears of every transaction of the documents it read ({@link forget}).
 */
export class NotesTextCache {
  #texts = new WeakMap<object, string | null>();
  /** Each passage as last put together, by its first block: the block texts and the passage's text. */
  #joined = new WeakMap<object, { parts: string[]; body: string }>();

  /** Forgets the blocks a transaction changed (anything inside them, or their attributes); without one, all. */
  forget(transaction?: Y.Transaction): void {
    if (!transaction) {
      this.#texts = new WeakMap();
      this.#joined = new WeakMap();
      return;
    }
    for (const type of transaction.changed.keys()) {
      // Up to the block whose parent is a root type (the fragment): that block's text changed.
      let block: object | undefined;
      let current: Y.AbstractType<unknown> | null = type as Y.AbstractType<unknown>;
      while (current?._item) {
        block = current;
        current = current._item.parent as Y.AbstractType<unknown> | null;
      }
      if (block) this.#texts.delete(block);
    }
  }

  /** The block's text: as kept, or read now and kept. */
  text(block: Y.XmlElement): string | null {
    if (this.#texts.has(block)) return this.#texts.get(block)!;
    const text = blockText(block);
    this.#texts.set(block, text);
    return text;
  }

  /**
   * The text of the passage that begins at `first` and holds `parts` (block texts): as kept when
   * made of the same texts, so that a passage nobody typed into is the very string it was (and
   * comparing it with what was written costs nothing).
   */
  join(first: Y.XmlElement, parts: string[]): string {
    const kept = this.#joined.get(first);
    if (kept && kept.parts.length === parts.length && kept.parts.every((part, index) => part === parts[index]))
      return kept.body;
    const body = parts.join('\n');
    this.#joined.set(first, { parts, body });
    return body;
  }
}

/**
 * Whether a passage may end before this block once it holds half a passage: decided by the
 * block's Yjs id, which typing into it never changes. So where passages begin depends on the
 * blocks, not on every character before them, and a passage that grows past its length moves
 * the boundaries of a passage or two, not of every passage after it.
 */
function isCutPoint(block: Y.XmlElement): boolean {
  const id = block._item!.id;
  return (Math.imul(id.client ^ Math.imul(id.clock, 0x9e3779b1), 0x85ebca6b) >>> 0) % 3 === 0;
}

/**
 * A protocol's passages: whole top-level blocks (a long block alone is cut at its lines), about
 * {@link passageLength} characters each, keyed by the Yjs id of the block they begin with, so a
 * passage keeps its key (and its text, unless typed into) when passages before it change. Blocks
 * are read through `cache` when given.
 */
export function notesPassages(doc: Y.Doc, cache?: NotesTextCache): Passage[] {
  const fragment = doc.getXmlFragment('default');
  const blocks = fragment.toArray();
  // Text straight in the fragment is one line of inline text: no blocks to anchor passages at.
  if (blocks.some((block) => !(block instanceof Y.XmlElement)))
    return passages(notesText(doc)).map((body, index) => ({ itemId: `passage-${index}`, body }));
  const result: Passage[] = [];
  let first: Y.XmlElement | undefined;
  let parts: string[] = [];
  let length = 0;
  const close = () => {
    const id = first!._item!.id;
    const key = `passage-${id.client}-${id.clock}`;
    const body = cache ? cache.join(first!, parts) : parts.join('\n');
    if (body.trim() !== '') result.push({ itemId: key, body });
    parts = [];
    length = 0;
  };
  for (const block of blocks as Y.XmlElement[]) {
    const text = cache ? cache.text(block) : blockText(block);
    if (text === null) continue;
    if (text.length > passageLength) {
      if (parts.length > 0) close();
      const id = block._item!.id;
      for (const [index, body] of passages(text).entries())
        result.push({ itemId: `passage-${id.client}-${id.clock}-${index}`, body });
      continue;
    }
    if (
      parts.length > 0 &&
      (length + 1 + text.length > passageLength || (length >= passageLength / 2 && isCutPoint(block)))
    )
      close();
    if (parts.length === 0) first = block;
    parts.push(text);
    length += (parts.length > 1 ? 1 : 0) + text.length;
  }
  if (parts.length > 0) close();
  return result;
}
