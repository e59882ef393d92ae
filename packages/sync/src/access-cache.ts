/**
 * Answers of access checks kept for a short while, so that a burst of upgrades (everyone opening
 * a document as a meeting starts) costs one lookup per key instead of one each.
 *
 * Invariants:
 * - Concurrent askers of one key share one lookup; a settled answer is reused for `ttlMs`.
 * - `clear` (called on every access event, in the same turn as the access epoch moves) drops
 *   every answer, also lookups still running: an answer asked for before the event is never
 *   handed to anyone who asks after it. Whoever got an older answer noted the older epoch and is
 *   checked again once connected (see access.ts), as without the cache.
 * - A failed lookup is not kept.
 */
export class AccessCache<T> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { answer: Promise<T>; until: number }>();

  /** `ttlMs`: how long a settled answer is reused (`accessCacheMs` of the settings). */
  constructor(ttlMs: number, now: () => number = () => performance.now()) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The answer for `key`: a fresh or shared one, else `lookup`'s. */
  get(key: string, lookup: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && entry.until > now) return entry.answer;
    if (this.#entries.size > 10_000) this.#sweep(now);
    const answer = lookup();
    // Running lookups never expire; their answer lives `ttlMs` from when it settles.
    const created = { answer, until: Number.POSITIVE_INFINITY };
    this.#entries.set(key, created);
    answer.then(
      () => {
        created.until = this.#now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key) === created) this.#entries.delete(key);
      },
    );
    return answer;
  }

  /** Drops every answer (an access event happened). */
  clear() {
    this.#entries.clear();
  }

  /** How many answers are kept (for tests). */
  get size() {
    return this.#entries.size;
  }

  #sweep(now: number) {
    for (const [key, entry] of this.#entries) if (entry.until <= now) this.#entries.delete(key);
  }
}
