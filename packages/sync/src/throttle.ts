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
 * Creates a bucket. `take` spends `cost` when the bucket is not empty (it may go below zero for a
 * large frame) and says whether it did; `waitMs` says how long until it is not empty.
 */
export function createThrottle(options: ThrottleOptions) {
  let tokens = options.burst;
  let updated = performance.now();
  const refill = () => {
    const now = performance.now();
    tokens = Math.min(options.burst, tokens + ((now - updated) / 1000) * options.perSecond);
    updated = now;
  };
  return {
    take(cost = 1): boolean {
      refill();
      if (tokens < 0) return false;
      tokens -= cost;
      return true;
    },
    waitMs(): number {
      refill();
      return tokens >= 0 ? 0 : Math.ceil((-tokens / options.perSecond) * 1000);
    },
  };
}
