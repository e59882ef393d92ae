import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** How long the sync server must have had no document loaded before memory is given back. */
export const idleReleaseMs = 10_000;

/**
 * Gives memory back to the system once the sync server has had no document loaded for a while
 * (call `idle` whenever the last one unloads). A busy spell grows V8's heap; without new
 * allocations it is never collected, and the process stays as large as at its peak. The
 * memory-reducing collection shrinks the heap, so the next document load pays for growing it
 * again (tens of milliseconds): hence only after a quiet spell, not at every unload.
 */
export function memoryReleaser(stillIdle: () => boolean) {
  // V8's own collector, reachable once the flag is set; the same as starting Node with --expose-gc.
  // Set here, not on import: the bench imports idleReleaseMs and has no use for it.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as CollectGarbage;
  let timer: NodeJS.Timeout | undefined;
  return {
    idle() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (stillIdle()) collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      }, idleReleaseMs);
      timer.unref();
    },
    stop: () => clearTimeout(timer),
  };
}
