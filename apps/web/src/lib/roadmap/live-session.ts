import { loginHref } from '#lib/api/client.ts';
import type { RoomRole } from '#lib/api/types.ts';
import type { CloseReason, CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { canWrite, forgetDocument } from '#lib/editor/document-meta.ts';
import { goto } from '$app/navigation';

/** Whether a role may change roadmaps and action lists (the server enforces the same rule). */
export const mayEdit = (role: RoomRole | null): boolean => canWrite(role);

/**
 * Reacts to the server ending a document session for good, as the notes editor does: an expired
 * session goes to the login page once the local copy is on disk, a revoked one stops presence,
 * a deleted document is reported to the page.
 */
export async function followSessionEnd(
  session: CollabSession,
  reason: CloseReason,
  documentId: string,
  ondeleted: () => void,
): Promise<void> {
  if (reason === 'revoked') {
    session.withdrawPresence();
    forgetDocument(documentId);
    return;
  }
  if (reason === 'deleted') {
    forgetDocument(documentId);
    ondeleted();
    return;
  }
  // Expired: everything typed is in IndexedDB already; wait for the last write before leaving.
  await session.flush().catch(() => undefined);
  const target = loginHref(`/documents/${encodeURIComponent(documentId)}`);
  try {
    await goto(target, { replace: true });
  } catch {
    window.location.replace(target);
  }
}
