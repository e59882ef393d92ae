import * as decoding from 'lib0/decoding';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { messageSync, type WebsocketProvider } from 'y-websocket';

/**
 * Yjs encodes every update it applies once more for its 'update' listeners: the socket's, which
 * ignores what came from the socket, and the local copy's, which stores it. For a document new
 * to this browser, whose first sync brings all of it (a list of 1,000 actions: some 30 ms before
 * the first paint), both are off while the sync messages until then are applied, and the local
 * copy stores each update as it arrived instead. Nothing may write to the document from inside a
 * sync message meanwhile (observers only read; views write from effects later): such a write
 * would be neither sent nor stored.
 */
export function firstSyncUnencoded(provider: WebsocketProvider, persistence: IndexeddbPersistence): void {
  const { doc } = provider;
  const handle = provider.messageHandlers[messageSync]!;
  // Only the handler itself marks the provider synced, and then puts the stock one back.
  provider.messageHandlers[messageSync] = (encoder, decoder, ...rest) => {
    const peek = decoding.clone(decoder);
    const type = decoding.readVarUint(peek);
    const carriesUpdate = type === messageYjsSyncStep2 || type === messageYjsUpdate;
    const update = carriesUpdate ? decoding.readVarUint8Array(peek) : null;
    doc.off('update', provider._updateHandler);
    doc.off('update', persistence._storeUpdate);
    try {
      handle(encoder, decoder, ...rest);
    } finally {
      doc.on('update', provider._updateHandler);
      doc.on('update', persistence._storeUpdate);
    }
    // Until the copy is open this stores nothing: y-indexeddb then stores the whole document.
    if (update) persistence._storeUpdate(update, provider);
    if (provider.synced) provider.messageHandlers[messageSync] = handle;
  };
}
