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

/** A passage as laid out: the index of the block it begins at, and its block texts. */
interface Segment extends Passage {
  start: number;
  parts: string[];
}

/** A fragment's passages as last read, and what changed in it since. */
interface Layout {
  blocks: Y.XmlElement[];
  texts: (string | null)[];
  /** Each block's index in `blocks`. */
  index: Map<object, number>;
  /** In the order of their blocks: `start` ascending (see {@link firstAt}). */
  segments: Segment[];
  /** Blocks whose text changed since. */
  dirty: Set<object>;
  /** Blocks were added or removed since: the order is read again. */
  reordered: boolean;
}

/**
 * A notes document's passages as last read, kept between two readings so that a reading after
 * typing reads only the blocks typed into and lays out again only the passages around them
 * (reading all of a protocol of 5 MB took a tenth of a second). Kept per fragment, weakly: one
 * cache serves every document, and a document that left memory leaves nothing behind. It is right
 * only if it hears of every transaction of the documents it read ({@link forget}).
 */
export class NotesTextCache {
  #layouts = new WeakMap<object, Layout>();

  /** Notes what a transaction changed: blocks typed into, or blocks added and removed; without one, forgets all. */
  forget(transaction?: Y.Transaction): void {
    if (!transaction) {
      this.#layouts = new WeakMap();
      return;
    }
    for (const type of transaction.changed.keys()) {
      // Up to the root type (the fragment); the block is its child the change is in.
      let block: object | undefined;
      let current = type as Y.AbstractType<unknown>;
      while (current._item) {
        block = current;
        current = current._item.parent as Y.AbstractType<unknown>;
      }
      const layout = this.#layouts.get(current);
      if (!layout) continue;
      if (block) layout.dirty.add(block);
      else layout.reordered = true;
    }
  }

  /**
   * The passages of `fragment`, from its last layout where that still holds; `blocks` reads its
   * blocks in order (undefined when it holds something else).
   */
  passages(fragment: Y.XmlFragment, blocks: () => Y.XmlElement[] | undefined): Passage[] | undefined {
    const before = this.#layouts.get(fragment);
    let next = before && !before.reordered ? relayout(before) : undefined;
    if (!next) {
      const read = blocks();
      if (!read) {
        this.#layouts.delete(fragment);
        return undefined;
      }
      next = freshLayout(read, before);
    }
    this.#layouts.set(fragment, next);
    return next.segments;
  }
}

/**
 * Lays out the passages again after blocks were typed into: around each such block, from the
 * passage before it until the old layout resumes (a passage begins where it began before, past
 * the blocks typed into), keeping the passages in between as they were.
 */
function relayout(layout: Layout): Layout | undefined {
  if (layout.dirty.size === 0) return layout;
  const changed: number[] = [];
  for (const block of layout.dirty) {
    const index = layout.index.get(block);
    // A block not in the layout would have been added, which marks it reordered: read it all again.
    if (index === undefined) return undefined;
    changed.push(index);
  }
  changed.sort((a, b) => a - b);
  for (const index of changed) layout.texts[index] = blockText(layout.blocks[index]!);
  const old = layout.segments;
  const all: Segment[] = [];
  /** Old passages from here on still hold. */
  let resume = 0;
  let next = 0;
  // The old layout may resume at a passage that begins past every block typed into so far and
  // before the next one (so the next region still begins at an old passage).
  const stopAt = (index: number) => {
    while (next < changed.length && changed[next]! < index) next += 1;
    return (next === changed.length || changed[next]! > index) && firstAt(old, index) >= 0;
  };
  while (next < changed.length) {
    // Whether a passage ends before a block depends on that block: begin at the passage before it.
    const first = changed[next]!;
    let kept = -1;
    for (let low = resume, high = old.length - 1; low <= high; ) {
      const middle = (low + high) >> 1;
      if (old[middle]!.start < first) {
        kept = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    if (kept < 0 && resume > 0) return undefined;
    for (let i = resume; i < kept; i += 1) all.push(old[i]!);
    const from = kept < 0 ? 0 : old[kept]!.start;
    const { segments, stoppedAt } = segment(layout.blocks, layout.texts, from, stopAt);
    for (const entry of segments) all.push(entry);
    if (stoppedAt === layout.blocks.length) return relaidOut(layout, all);
    resume = firstAt(old, stoppedAt);
  }
  for (let i = resume; i < old.length; i += 1) all.push(old[i]!);
  return relaidOut(layout, all);
}

/** `layout` with `segments`, and nothing dirty: changed in place, for it is replaced by itself. */
function relaidOut(layout: Layout, segments: Segment[]): Layout {
  layout.segments = segments;
  layout.dirty.clear();
  return layout;
}

/** Reads the order of the blocks, and the text of those new or typed into since `before`. */
function freshLayout(blocks: Y.XmlElement[], before: Layout | undefined): Layout {
  const texts = blocks.map((block) => {
    const old = before && !before.dirty.has(block) ? before.index.get(block) : undefined;
    return old === undefined ? blockText(block) : before!.texts[old]!;
  });
  const index = new Map<object, number>(blocks.map((block, i) => [block, i]));
  const { segments } = segment(blocks, texts, 0, () => false, before);
  return { blocks, texts, index, segments, dirty: new Set(), reordered: false };
}

/**
 * The position of the first segment that begins at block `start`, or -1 when none does: a binary
 * search, where a map of the starts was built anew for every reading (on a 5 MB protocol a sixth
 * of what a reading allocated, kept until the next reading, so it aged into the old generation).
 */
function firstAt(segments: readonly Segment[], start: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  return segments[low]?.start === start ? low : -1;
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

const keyOf = (block: Y.XmlElement) => `passage-${block._item!.id.client}-${block._item!.id.clock}`;

/**
 * Lays out passages from block `from` (where a passage begins) on, until a passage would begin at
 * a block for which `stopAt` holds. A passage's text is the one `before` has for the same block
 * texts, if any: a passage nobody typed into stays the very string it was.
 */
function segment(
  blocks: Y.XmlElement[],
  texts: (string | null)[],
  from: number,
  stopAt: (index: number) => boolean,
  before?: Layout,
): { segments: Segment[]; stoppedAt: number } {
  const segments: Segment[] = [];
  const previous = before ? new Map(before.segments.map((entry) => [entry.itemId, entry])) : undefined;
  let start = -1;
  let parts: string[] = [];
  let length = 0;
  const close = () => {
    const itemId = keyOf(blocks[start]!);
    const old = previous?.get(itemId);
    const same = old && old.parts.length === parts.length && old.parts.every((part, i) => part === parts[i]);
    const body = same ? old.body : parts.join('\n');
    if (body.trim() !== '') segments.push({ itemId, body, start, parts });
    parts = [];
    length = 0;
  };
  for (let index = from; index < blocks.length; index += 1) {
    const text = texts[index];
    if (text === null || text === undefined) continue;
    const long = text.length > passageLength;
    if (
      parts.length > 0 &&
      (long || length + 1 + text.length > passageLength || (length >= passageLength / 2 && isCutPoint(blocks[index]!)))
    )
      close();
    if (parts.length === 0 && index > from && stopAt(index)) return { segments, stoppedAt: index };
    if (long) {
      // A block longer than a passage is cut at its lines.
      const key = keyOf(blocks[index]!);
      for (const [piece, body] of passages(text).entries())
        segments.push({ itemId: `${key}-${piece}`, body, start: index, parts: [body] });
      continue;
    }
    if (parts.length === 0) start = index;
    parts.push(text);
    length += (parts.length > 1 ? 1 : 0) + text.length;
  }
  if (parts.length > 0) close();
  return { segments, stoppedAt: blocks.length };
}

/**
 * A protocol's passages: whole top-level blocks (a long block alone is cut at its lines), about
 * {@link passageLength} characters each, keyed by the Yjs id of the block they begin with, so a
 * passage keeps its key (and its text, unless typed into) when passages before it change. Laid
 * out from what `cache` kept, when given.
 */
export function notesPassages(doc: Y.Doc, cache?: NotesTextCache): Passage[] {
  return sharedNotesPassages(doc, cache).map(({ itemId, body }) => ({ itemId, body }));
}

/**
 * {@link notesPassages} as laid out, not copied: with `cache`, a passage nobody typed into is the
 * very object the last reading returned, so what is derived from it can be kept for it (see
 * `contentEntries`). The passages must not be changed.
 */
export function sharedNotesPassages(doc: Y.Doc, cache?: NotesTextCache): readonly Passage[] {
  const fragment = doc.getXmlFragment('default');
  // Text straight in the fragment is one line of inline text: no blocks to anchor passages at.
  const blocks = () => {
    const children = fragment.toArray();
    return children.every((child) => child instanceof Y.XmlElement) ? children : undefined;
  };
  const list = cache ? cache.passages(fragment, blocks) : whole(blocks());
  return list ?? passages(notesText(doc)).map((body, index) => ({ itemId: `passage-${index}`, body }));
}

function whole(blocks: Y.XmlElement[] | undefined): Segment[] | undefined {
  return blocks && segment(blocks, blocks.map(blockText), 0, () => false).segments;
}
