/**
 * A token bucket per connection. A connection that floods messages is paused (its socket stops
 * being read, so TCP pushes back on the sender) until the bucket refills; everyone else, in this
 * room and others, is served as before.
 */
export interface ThrottleOptions {
  /** Sustained messages per second; default 200. */
  perSecond: number;
  /** Burst size; default 400. */
  burst: number;
}

/** Default limits: far above a person typing, far below a loop. */
export const defaultThrottle: ThrottleOptions = { perSecond: 200, burst: 400 };

/** Creates a bucket; `take` returns how many ms to pause before reading more (0: go on). */
export function createThrottle(options: ThrottleOptions) {
  let tokens = options.burst;
  let updated = performance.now();
  return {
    take(cost = 1): number {
      const now = performance.now();
      tokens = Math.min(options.burst, tokens + ((now - updated) / 1000) * options.perSecond);
      updated = now;
      tokens -= cost;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / options.perSecond) * 1000);
    },
  };
}
