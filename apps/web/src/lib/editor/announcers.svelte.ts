import type { ConnectionStatus, Peer } from './collab-session.svelte.ts';

/**
 * Coalesces joins and leaves into at most one polite announcement per interval, so a meeting
 * where twenty people open the notes at once does not drown a screen reader user's work.
 */
export class PresenceAnnouncer {
  /** Text for the live region; bind it to an element with aria-live="polite". */
  message = $state('');

  #known = new Map<string, Peer>();
  #joins = new Map<string, Peer>();
  #leaves = new Map<string, Peer>();
  #tracking = false;
  #graceUntil = 0;
  #lastAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #format: (joins: Peer[], leaves: Peer[]) => string;
  readonly #intervalMs: number;
  readonly #graceMs: number;

  /** `format` words the joins and leaves; `graceMs` absorbs the states that arrive on connect. */
  constructor(format: (joins: Peer[], leaves: Peer[]) => string, intervalMs = 4000, graceMs = 1500) {
    this.#format = format;
    this.#intervalMs = intervalMs;
    this.#graceMs = graceMs;
  }

  /** Feeds the current peers; `live` is false while we are disconnected (changes are then ours). */
  update(peers: Peer[], live: boolean): void {
    const current = new Map(peers.map((peer) => [peer.id, peer]));
    const now = Date.now();
    if (!live) {
      // Losing the connection empties the list; that is no news about the others.
      this.#tracking = false;
      this.#known = current;
      return;
    }
    if (!this.#tracking) {
      this.#tracking = true;
      this.#graceUntil = now + this.#graceMs;
    }
    if (now < this.#graceUntil) {
      this.#known = current;
      return;
    }
    for (const [id, peer] of current) {
      if (this.#known.has(id)) continue;
      // Left and came back within one interval (e.g. a reload): nothing worth saying.
      if (!this.#leaves.delete(id)) this.#joins.set(id, peer);
    }
    for (const [id, peer] of this.#known) {
      if (current.has(id)) continue;
      if (!this.#joins.delete(id)) this.#leaves.set(id, peer);
    }
    this.#known = current;
    this.#schedule();
  }

  /** Cancels a pending announcement. */
  destroy(): void {
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#timer !== undefined || (this.#joins.size === 0 && this.#leaves.size === 0)) return;
    const delay = Math.max(0, this.#lastAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => this.#flush(), delay);
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#joins.size === 0 && this.#leaves.size === 0) return;
    const text = this.#format([...this.#joins.values()], [...this.#leaves.values()]);
    this.#joins.clear();
    this.#leaves.clear();
    this.#lastAt = Date.now();
    announce(this, text);
  }
}

/**
 * Announces connection changes once they have settled for a moment: "connecting", "connected"
 * and "synced" follow each other within milliseconds and only the last one matters.
 */
export class StatusAnnouncer {
  message = $state('');

  #settled: ConnectionStatus | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #format: (status: ConnectionStatus) => string;
  readonly #delayMs: number;

  /** `format` words a status; `delayMs` is how long a status must hold before it is spoken. */
  constructor(format: (status: ConnectionStatus) => string, delayMs = 1000) {
    this.#format = format;
    this.#delayMs = delayMs;
  }

  /** Feeds the current status. The first settled one is the page's initial state: not announced. */
  update(status: ConnectionStatus): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const initial = this.#settled === undefined;
      if (status === this.#settled) return;
      this.#settled = status;
      if (!initial) announce(this, this.#format(status));
    }, this.#delayMs);
  }

  /** Cancels a pending announcement. */
  destroy(): void {
    clearTimeout(this.#timer);
  }
}

/** Sets the text; an identical repeat is cleared first so screen readers speak it again. */
function announce(target: { message: string }, text: string): void {
  if (target.message !== text) {
    target.message = text;
    return;
  }
  target.message = '';
  setTimeout(() => {
    target.message = text;
  }, 100);
}
