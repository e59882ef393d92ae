import type { SyncSettings } from './settings.ts';

/**
 * Counts open connections per user and per address, so an upgrade beyond either cap is refused.
 * `open` checks and counts in one step; `release` undoes it when the connection closes.
 */
export class ConnectionCounter {
  readonly #perUser = new Map<string, number>();
  readonly #perAddress = new Map<string, number>();
  readonly #limits: Pick<SyncSettings, 'maxConnectionsPerUser' | 'maxConnectionsPerAddress'>;

  constructor(limits: Pick<SyncSettings, 'maxConnectionsPerUser' | 'maxConnectionsPerAddress'>) {
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
