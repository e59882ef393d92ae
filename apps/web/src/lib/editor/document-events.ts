/**
 * A document's server-sent events (`/api/documents/<id>/events`: comment threads, versions), one
 * stream per document however many panels follow it: a browser keeps at most six connections per
 * host over HTTP/1.1, and the page already holds the socket of the document.
 *
 * The stream sends its first state (all threads) when it opens. A panel that joins an open stream
 * would miss it, so joining opens the stream anew: every follower gets the first state again
 * (receiving it twice is harmless). Panels joining at once (as a page's do) share one opening:
 * the stream is (re)opened after the current task's followers have joined. `open` is delivered as an event too, on every (re)connect,
 * so that a follower can read again what it may have missed while the stream was away.
 * `error` is delivered too, with `{ closed }`: an EventSource tries again by itself after a
 * dropped connection (`closed: false`), but gives up for good on an answer that is not a stream,
 * such as 429 past the cap of open streams (`closed: true`); `reopenDocumentEvents` asks again.
 */

/** Receives one event's parsed data (`open`: none). */
export type EventHandler = (data: unknown) => void;

interface Shared {
  source: EventSource | null;
  followers: Set<Record<string, EventHandler>>;
  /** A (re)opening is scheduled for the followers joining now. */
  pending: boolean;
}

const streams = new Map<string, Shared>();

function dispatch(shared: Shared, name: string, data: unknown) {
  for (const handlers of shared.followers) handlers[name]?.(data);
}

/** Opens the stream and routes every event name any follower listens to. */
function connect(documentId: string, shared: Shared): EventSource {
  const source = new EventSource(`/api/documents/${encodeURIComponent(documentId)}/events`);
  const names = new Set([...shared.followers].flatMap((handlers) => Object.keys(handlers)));
  source.addEventListener('open', () => dispatch(shared, 'open', undefined));
  source.addEventListener('error', () => {
    if (shared.source === source) dispatch(shared, 'error', { closed: source.readyState === EventSource.CLOSED });
  });
  for (const name of names) {
    if (name === 'open' || name === 'error') continue;
    source.addEventListener(name, (event) => {
      dispatch(shared, name, JSON.parse((event as MessageEvent).data));
      // The server ended the stream for good (access lost or session ended).
      if (name === 'end') close(documentId, shared);
    });
  }
  return source;
}

function close(documentId: string, shared: Shared) {
  shared.source?.close();
  shared.source = null;
  if (streams.get(documentId) === shared) streams.delete(documentId);
}

/** (Re)opens the stream once every follower joining in this task has joined. */
function reopenSoon(documentId: string, shared: Shared) {
  if (shared.pending) return;
  shared.pending = true;
  queueMicrotask(() => {
    shared.pending = false;
    if (streams.get(documentId) !== shared || shared.followers.size === 0) return;
    shared.source?.close();
    shared.source = connect(documentId, shared);
  });
}

/**
 * Follows a document's events with `handlers` (event name → handler; `end` should be among them:
 * after it the stream is closed). Returns the function that stops following.
 */
export function followDocumentEvents(documentId: string, handlers: Record<string, EventHandler>): () => void {
  const handlersWithEnd = { end: () => undefined, ...handlers };
  let shared = streams.get(documentId);
  if (!shared) {
    shared = { source: null, followers: new Set(), pending: false };
    streams.set(documentId, shared);
  }
  shared.followers.add(handlersWithEnd);
  reopenSoon(documentId, shared);
  const joined = shared;
  return () => {
    joined.followers.delete(handlersWithEnd);
    if (joined.followers.size === 0) close(documentId, joined);
  };
}

/** Opens a document's stream anew for its followers (after it failed); nothing when nobody follows it. */
export function reopenDocumentEvents(documentId: string) {
  const shared = streams.get(documentId);
  if (shared) reopenSoon(documentId, shared);
}
