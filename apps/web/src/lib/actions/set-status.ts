import { type ActionStatus, actionListOf } from '@nordraum/domain';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** How long a status change may take until it counts as failed (ms). */
const timeoutMs = 10_000;

/** The committed state of a document, as the server serves it. */
async function committed(documentId: string): Promise<Y.Doc> {
  const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/state`);
  if (!response.ok) throw new Error(`state ${response.status}`);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return doc;
}

/**
 * Sets the status of one action from outside its list ("Meine Aufgaben"): connects to the list
 * like its page does, writes the one field once synced, and resolves true once the server has
 * committed it (read back from its committed state), false when it did not in time (e.g. the
 * person may only read that list: the server then drops the edit).
 */
export async function setActionStatus(documentId: string, itemId: string, status: ActionStatus): Promise<boolean> {
  const doc = new Y.Doc();
  const base = `${location.origin.replace(/^http/, 'ws')}/sync`;
  const provider = new WebsocketProvider(base, documentId, doc, { disableBc: true });
  const deadline = Date.now() + timeoutMs;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not synced')), timeoutMs);
      provider.once('sync', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    actionListOf(doc).updateItem(itemId, { status });
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (actionListOf(await committed(documentId)).item(itemId)?.status === status) return true;
    }
    return false;
  } catch {
    return false;
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
