/**
 * Runs `run` once the browser is idle, at the latest after `timeoutMs`; where there is no
 * `requestIdleCallback`, on the next turn of the event loop. Returns a cancel.
 */
export function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(run);
  return () => clearTimeout(timer);
}
