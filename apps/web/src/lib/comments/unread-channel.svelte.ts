/**
 * Where a tab hears its person's unread notification count live. A browser holds at most six
 * connections to a host over HTTP/1.1, so a tab keeps one event stream: on a document page the
 * document's comment stream (it carries "unread" too), elsewhere the person's own notification
 * stream, which the inbox opens only while no document stream is open.
 */
class UnreadChannel {
  /** Document comment streams in this tab that deliver (opened and not failed). */
  documentStreams = $state(0);
  readonly #listeners = new Set<(unread: number) => void>();
  /**
   * The last count a document stream reported while one is open. A stream sends the count once
   * when it opens and then only when it changes, and the inbox in the header mounts once the
   * person is known, which on a slow machine can be after that first count: it gets it from here.
   */
  #last: number | undefined;

  /** Tells every listener the count a stream reported. */
  publish(unread: number) {
    this.#last = unread;
    for (const listener of this.#listeners) listener(unread);
  }

  /** Hears the last count reported (if a document stream is open) and every later one; returns the function that stops it. */
  subscribe(listener: (unread: number) => void): () => void {
    this.#listeners.add(listener);
    if (this.#last !== undefined) listener(this.#last);
    return () => this.#listeners.delete(listener);
  }

  /** Notes a document stream as delivering; returns the function that notes it closed or failed. */
  attachDocumentStream(): () => void {
    this.documentStreams += 1;
    let attached = true;
    return () => {
      if (attached) this.documentStreams -= 1;
      attached = false;
      // Without a document stream the inbox asks on its own stream, which starts with the count.
      if (this.documentStreams === 0) this.#last = undefined;
    };
  }
}

/** The one channel of this tab. */
export const unreadChannel = new UnreadChannel();
