import { loginHref } from '#lib/api/client.ts';
import { goto } from '$app/navigation';
import type { CloseReason, CollabSession } from './collab-session.svelte.ts';
import { forgetDocument } from './document-meta.ts';

/**
 * Reacts to the server ending a document session for good, in every kind of document: an expired
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
