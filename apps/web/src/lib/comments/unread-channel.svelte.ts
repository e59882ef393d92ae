/**
 * Where a tab hears its person's unread notification count live. A browser holds at most six
 * connections to a host over HTTP/1.1, so a tab keeps one event stream: on a document page the
 * document's comment stream (it carries "unread" too), elsewhere the person's own notification
 * stream, which the inbox opens only while no document stream is open.
 */
class UnreadChannel {
  /** Document comment streams open in this tab. */
  documentStreams = $state(0);
  readonly #listeners = new Set<(unread: number) => void>();

  /** Tells every listener the count a stream reported. */
  publish(unread: number) {
    for (const listener of this.#listeners) listener(unread);
  }

  /** Hears every count reported; returns the function that stops it. */
  subscribe(listener: (unread: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Notes a document stream as open; returns the function that notes it closed. */
  attachDocumentStream(): () => void {
    this.documentStreams += 1;
    let attached = true;
    return () => {
      if (attached) this.documentStreams -= 1;
      attached = false;
    };
  }
}

/** The one channel of this tab. */
export const unreadChannel = new UnreadChannel();
