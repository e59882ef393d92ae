/**
 * A map that keeps at most `capacity` entries, forgetting the least recently used: reading an
 * entry (`get`) counts as a use, as writing one does. A Map iterates in insertion order, so an
 * entry used is deleted and inserted again, and the first key is always the one to forget.
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();
  /** How many entries are kept, at least 1. */
  readonly capacity: number;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('A RecentMap keeps at least one entry.');
    this.capacity = capacity;
  }

  /** The value of `key`, now the most recently used; undefined when it is not kept. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Keeps `value` as the most recently used, forgetting the least recently used beyond capacity. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return this;
  }

  /** Whether `key` is kept; not a use. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
