/**
 * Watches an external PostgreSQL (DATABASE_URL). The pool, the update log's connection and the
 * fan-out's listener all reconnect by themselves when the server returns; this only decides when
 * waiting has become pointless: unreachable for `lostAfterMs` in a row, and the process exits so
 * that a service manager restarts it (and an operator hears of it).
 */

/** Options for {@link watchDatabase}. */
export interface DatabaseWatchdogOptions {
  /** Whether the database answers a trivial query now. */
  ping(): Promise<boolean>;
  /** How long the database may stay unreachable; default 5 minutes. */
  lostAfterMs?: number;
  /** How often to ask; default every 5 s (less when `lostAfterMs` is short). */
  intervalMs?: number;
  log: { warn(object: object, message: string): void; info(object: object, message: string): void };
  /** Called once when the database was unreachable for `lostAfterMs`. */
  onLost(): void;
}

/** Starts watching; returns a function that stops it. */
export function watchDatabase(options: DatabaseWatchdogOptions): () => void {
  const lostAfterMs = options.lostAfterMs ?? 5 * 60_000;
  const intervalMs = options.intervalMs ?? Math.max(100, Math.min(5_000, lostAfterMs / 5));
  let downSince: number | undefined;
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    const up = await options.ping();
    checking = false;
    if (up) {
      if (downSince !== undefined) options.log.info({ downMs: Date.now() - downSince }, 'the database is back');
      downSince = undefined;
      return;
    }
    if (downSince === undefined) {
      downSince = Date.now();
      options.log.warn({ lostAfterMs }, 'the database does not answer; waiting for it to return');
    } else if (Date.now() - downSince >= lostAfterMs) {
      clearInterval(timer);
      options.onLost();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
