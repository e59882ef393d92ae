/**
 * What one connection, one user and one address may cost the server, every default in one place.
 * The numbers are far above what a person in a browser does (one sync request per connect, one
 * client id per tab, a few messages per second while typing) and far below what a loop can send.
 */
export interface SyncLimits {
  /** Frames per second one connection may send, sustained (200). */
  framesPerSecond: number;
  /** Frames one connection may send at once before the rate applies (400). */
  burst: number;
  /** Frames held back beyond the rate; more close the connection with 1013 (1_000). */
  maxQueuedFrames: number;
  /** Bytes of frames held back beyond the rate; more close the connection with 1013 (16 MiB). */
  maxQueuedBytes: number;
  /** Bytes waiting to be sent to a peer; a peer further behind is not reading: closed with 1013 (16 MiB). */
  maxBufferedBytes: number;
  /** A sync request (step 1) within this time of the last answered one is answered once, at its end (1_000 ms). */
  syncRequestIntervalMs: number;
  /** Yjs client ids one connection may speak for; a stock client speaks for one (4). */
  maxClientIdsPerConnection: number;
  /** A ping this often; a connection that answered none since the last one is dropped (30_000 ms). */
  heartbeatMs: number;
  /** Open connections of one user, over all their devices and tabs (50). */
  maxConnectionsPerUser: number;
  /** Open connections from one address: a whole office behind one NAT or proxy (200). */
  maxConnectionsPerAddress: number;
}

/** The defaults of {@link SyncLimits}. */
export const defaultLimits: SyncLimits = {
  framesPerSecond: 200,
  burst: 400,
  maxQueuedFrames: 1_000,
  maxQueuedBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  syncRequestIntervalMs: 1_000,
  maxClientIdsPerConnection: 4,
  heartbeatMs: 30_000,
  maxConnectionsPerUser: 50,
  maxConnectionsPerAddress: 200,
};

/** The limits with `overrides` applied; undefined values keep the default. */
export function resolveLimits(overrides: Partial<SyncLimits> = {}): SyncLimits {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaultLimits, ...Object.fromEntries(defined) };
}

/**
 * Counts open connections per user and per address, so an upgrade beyond either cap is refused.
 * `open` checks and counts in one step; `release` undoes it when the connection closes.
 */
export class ConnectionCounter {
  readonly #perUser = new Map<string, number>();
  readonly #perAddress = new Map<string, number>();
  readonly #limits: Pick<SyncLimits, 'maxConnectionsPerUser' | 'maxConnectionsPerAddress'>;

  constructor(limits: Pick<SyncLimits, 'maxConnectionsPerUser' | 'maxConnectionsPerAddress'>) {
    this.#limits = limits;
  }

  /** Whether one more connection of this user from this address stays within both caps. */
  allows(userId: string, address: string | null): boolean {
    const byAddress = address === null ? 0 : (this.#perAddress.get(address) ?? 0);
    return (
      (this.#perUser.get(userId) ?? 0) < this.#limits.maxConnectionsPerUser &&
      byAddress < this.#limits.maxConnectionsPerAddress
    );
  }

  /** Counts a connection if it is allowed; returns whether it was. */
  open(userId: string, address: string | null): boolean {
    if (!this.allows(userId, address)) return false;
    increment(this.#perUser, userId, 1);
    if (address !== null) increment(this.#perAddress, address, 1);
    return true;
  }

  /** Uncounts a connection counted by `open`. */
  release(userId: string, address: string | null) {
    increment(this.#perUser, userId, -1);
    if (address !== null) increment(this.#perAddress, address, -1);
  }
}

function increment(counts: Map<string, number>, key: string, by: number) {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
