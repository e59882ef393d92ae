import { whenIdle } from '#lib/idle.ts';

/** How long after the page's `load` event the offline worker is registered. */
const settleMs = 2_000;

/**
 * Registers the offline worker (src/service-worker) once the first page has settled. Installing
 * it downloads every asset of the app; registered at `load`, as SvelteKit would, those downloads
 * competed with the first page's own requests and data while it was still being built.
 */
export function registerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/service-worker.js', { type: 'module' }).catch(() => {
      // Without the worker the app still works; only offline reloads do not.
    });
  };
  const later = () => setTimeout(() => whenIdle(register, settleMs), settleMs);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

/**
 * Deletes the page the offline worker keeps for `path` (in its cache of visited pages, whose name
 * ends in `-pages`), e.g. a document page rendered with content its reader may no longer see.
 */
export async function forgetKeptPage(path: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  const href = new URL(path, location.href).href;
  try {
    for (const key of await caches.keys()) if (key.endsWith('-pages')) await (await caches.open(key)).delete(href);
  } catch {
    // No cache storage, nothing kept.
  }
}
