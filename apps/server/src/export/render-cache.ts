import type * as Y from 'yjs';

/**
 * The last rendered files, so that exporting an unchanged document again costs nothing: people
 * export a protocol after a meeting one after the other, and a 50-page PDF is a second of CPU.
 * A file is found by its key (document, format, heading, options: everything the file shows)
 * and, for a live document, by the very state object it was rendered from: a loaded document
 * keeps one encoding of its state until the next edit, so any edit since makes a new object and
 * the old file is never served again. The state is held weakly, so the cache keeps no document
 * state alive. Size is bounded in bytes; the least recently used files leave first. Access checks
 * and the audit entry stay with the route: the cache only saves the rendering.
 */

/** How a cached file is found: its key, and the state it was rendered from (null: the key alone fixes the content). */
export interface RenderCacheKey {
  key: string;
  state: object | null;
}

interface Entry {
  state: WeakRef<object> | null;
  bytes: Uint8Array;
}

/** A cache of rendered files of at most `maxBytes` (default 32 MiB; 0 keeps nothing). */
export function createRenderCache(maxBytes = 32 * 1024 * 1024) {
  const entries = new Map<string, Entry>();
  let total = 0;

  function drop(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    total -= entry.bytes.byteLength;
  }

  return {
    /** The file rendered for `key` from the same state, if still kept. */
    get({ key, state }: RenderCacheKey): Uint8Array | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if ((entry.state?.deref() ?? null) !== state) {
        drop(key); // rendered from an older state: never valid again
        return undefined;
      }
      entries.delete(key); // most recently used goes last
      entries.set(key, entry);
      return entry.bytes;
    },
    /** Keeps `bytes` for `key`; a file over a quarter of the cache is not kept. */
    set({ key, state }: RenderCacheKey, bytes: Uint8Array) {
      drop(key);
      if (bytes.byteLength > maxBytes / 4) return;
      entries.set(key, { state: state ? new WeakRef(state) : null, bytes });
      total += bytes.byteLength;
      for (const oldest of entries.keys()) {
        if (total <= maxBytes) break;
        drop(oldest);
      }
    },
    /** Bytes kept, for tests and metrics. */
    size: () => total,
  };
}

export type RenderCache = ReturnType<typeof createRenderCache>;

/** Per loaded document, the object that stands for its present content. */
const marks = new WeakMap<Y.Doc, { current: object }>();

/**
 * An object that stands for `doc`'s present content, replaced by its next transaction: a file
 * rendered from the document is kept against it (held weakly, see {@link RenderCacheKey}). The
 * document is not encoded for this: keeping the encoded state just to have such an object cost an
 * encoding of the whole document after every edit.
 */
export function changeMark(doc: Y.Doc): object {
  let mark = marks.get(doc);
  if (!mark) {
    const created = { current: {} };
    // Any transaction counts as a change: at worst a file is rendered again.
    doc.on('afterTransaction', () => {
      created.current = {};
    });
    marks.set(doc, created);
    mark = created;
  }
  return mark.current;
}
