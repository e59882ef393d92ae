/**
 * Restarts a process that must keep running (the embedded PostgreSQL), with backoff.
 *
 * Invariants:
 * - One restart at a time: a crash reported while a restart runs is that restart's concern.
 * - The delays grow between failed attempts; a restart that succeeds starts the count afresh,
 *   so a database that crashes once a week is restarted every time.
 * - After the last delay has been tried in vain the supervisor gives up once and for all and says
 *   so: the owner then exits non-zero, so that a service manager restarts the whole process.
 */

/** Options for {@link createSupervisor}. */
export interface SupervisorOptions {
  /** Starts the process again; resolves once it serves, rejects when it did not come up. */
  restart(): Promise<void>;
  /** Waits before each attempt, in ms; default 250, 500, 1 s, 2 s, 4 s, 8 s (six attempts). */
  backoffMs?: readonly number[];
  /** Progress for the operator. */
  log(message: string): void;
  /** Called once when every attempt failed. */
  onGiveUp(error: Error): void;
}

/** A supervisor: told of each crash, it restarts, until stopped. */
export interface Supervisor {
  /** The process ended without being asked to. */
  crashed(reason: string): void;
  /** No more restarts (the owner stops the process itself). */
  stop(): void;
}

/** Default delays before each restart attempt. */
export const defaultBackoffMs: readonly number[] = [250, 500, 1_000, 2_000, 4_000, 8_000];

/** Creates a {@link Supervisor}. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const backoff = options.backoffMs ?? defaultBackoffMs;
  let stopped = false;
  let restarting = false;
  let crashedMeanwhile: string | undefined;

  async function restartWithBackoff(reason: string) {
    let lastError = new Error(reason);
    for (const [attempt, delay] of backoff.entries()) {
      await new Promise((done) => setTimeout(done, delay));
      if (stopped) return;
      try {
        await options.restart();
        options.log(`restarted after ${attempt + 1} attempt(s)`);
        return;
      } catch (error) {
        lastError = error as Error;
        options.log(`restart attempt ${attempt + 1} of ${backoff.length} failed: ${lastError.message}`);
      }
    }
    if (!stopped) {
      stopped = true;
      options.onGiveUp(lastError);
    }
  }

  const supervisor: Supervisor = {
    crashed(reason) {
      if (stopped) return;
      if (restarting) {
        // The process just restarted may have ended before the restart was through.
        crashedMeanwhile = reason;
        return;
      }
      restarting = true;
      options.log(`${reason}; restarting`);
      void restartWithBackoff(reason).finally(() => {
        restarting = false;
        const again = crashedMeanwhile;
        crashedMeanwhile = undefined;
        if (again) supervisor.crashed(again);
      });
    },
    stop() {
      stopped = true;
    },
  };
  return supervisor;
}
