/**
 * A token bucket per connection. Frames beyond the rate are held back (bounded, see
 * `SyncSettings`) and the socket stops being read, so TCP pushes back on the sender, until the
 * bucket refills; everyone else, in this room and others, is served as before.
 */
export interface ThrottleOptions {
  /** Sustained messages per second; default 200. */
  perSecond: number;
  /** Burst size; default 400. */
  burst: number;
}

/**
 * A bucket. `take` spends `cost` when the bucket is not empty (it may go below zero for a large
 * frame) and says whether it did; `waitMs` says how long until it is not empty. A class rather
 * than closures: every open socket has one, and its two numbers are all it needs to keep.
 */
export class Throttle {
  readonly #perSecond: number;
  readonly #burst: number;
  #tokens: number;
  #updated = performance.now();

  constructor({ perSecond, burst }: ThrottleOptions) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#tokens = burst;
  }

  take(cost = 1): boolean {
    this.#refill();
    if (this.#tokens < 0) return false;
    this.#tokens -= cost;
    return true;
  }

  waitMs(): number {
    this.#refill();
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#perSecond) * 1000);
  }

  #refill() {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updated) / 1000) * this.#perSecond);
    this.#updated = now;
  }
}
