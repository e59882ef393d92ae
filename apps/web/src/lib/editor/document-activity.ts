/**
 * Who wants to know that a document's content changed on this page (the header's "last changed"),
 * told by whoever holds the document (its session). A plain registry, so the header needs no
 * handle on the session and the session none on the header.
 */

const listeners = new Map<string, Set<() => void>>();

/** The content of `documentId` changed here (an edit typed here or one that arrived). */
export function reportActivity(documentId: string): void {
  for (const listener of listeners.get(documentId) ?? []) listener();
}

/** Calls `listener` on every change of `documentId`; returns the unsubscribe function. */
export function onActivity(documentId: string, listener: () => void): () => void {
  const set = listeners.get(documentId) ?? new Set();
  listeners.set(documentId, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(documentId);
  };
}
