import type { Thread, ThreadAnchor } from '@nordraum/domain';
import { ApiError, api } from '#lib/api/client.ts';
import { followDocumentEvents, reopenDocumentEvents } from '#lib/editor/document-events.ts';
import { FIRST_LIST_TIMEOUT_MS } from './stream-timing.ts';
import { unreadChannel } from './unread-channel.svelte.ts';

/**
 * How long to wait before sending a passage the server had not committed once more, in ms: the
 * server commits what it received within milliseconds, a busy group commit within some hundred.
 */
const PENDING_RETRY_MS = 500;

/** Which threads the panel shows. */
export type ThreadFilter = 'open' | 'resolved' | 'mine';

/** The key under which a thread counts for a marker: the milestone's or action's id, `document`, or the thread id for a passage. */
export function anchorKey(thread: Pick<Thread, 'id' | 'anchor'>): string {
  const { anchor } = thread;
  if (anchor.type === 'milestone') return `milestone:${anchor.milestoneId}`;
  if (anchor.type === 'action') return `action:${anchor.actionId}`;
  if (anchor.type === 'text') return `text:${thread.id}`;
  return 'document';
}

/**
 * A document's comment threads, kept live: the server sends all of them first over server-sent
 * events and then every thread that changed, so the list needs no polling. Writes go through the
 * API; their result arrives over the stream too (and is applied at once for the writer).
 */
export class ThreadStore {
  /**
   * Replaced as a whole on every change, never changed inside: hundreds of threads are not made
   * deeply reactive (costly on opening), and a new array tells the highlights that anything changed.
   */
  threads = $state.raw<Thread[]>([]);
  /** Whether the first list has arrived. */
  ready = $state(false);
  /** The server ended the stream (access lost or session ended). */
  lost = $state(false);
  /**
   * The stream was refused (e.g. 429: too many open tabs) or its list did not come within
   * FIRST_LIST_TIMEOUT_MS: nobody should be told the comments are loading; `retry` asks again.
   * With `ready`, a list is shown but no longer kept live.
   */
  failed = $state(false);
  readonly documentId: string;
  /** Waits for the list after (re)opening the stream; unset once it came. */
  #deadline: ReturnType<typeof setTimeout> | undefined;
  /** The stream opened before a panel showed the threads (see `openThreadsEarly`): its stop function. */
  #early: (() => void) | null = null;
  /**
   * Whether the open stream counts as the tab's source of the unread count (unread-channel.svelte.ts):
   * not while it failed, so that the header asks elsewhere instead of waiting on it.
   */
  #carriesUnread: (carries: boolean) => void = () => undefined;

  constructor(documentId: string) {
    this.documentId = documentId;
  }

  /**
   * Follows the document's live stream (shared with the history); returns the function that stops.
   * A stream opened early is taken over instead of opening a second one.
   */
  connect(): () => void {
    const early = this.#early;
    this.#early = null;
    return early ?? this.#follow();
  }

  /** Starts following while the page still asks for the document; `connect` takes it over. */
  connectEarly() {
    this.#early ??= this.#follow();
  }

  /** Stops a stream opened early that no panel took over. */
  dropEarly() {
    this.#early?.();
    this.#early = null;
  }

  /**
   * The whole list, as the stream sends it when it (re)opens: threads that read as before keep
   * their object, so a list sent again (a second panel joined the stream) redraws nothing.
   */
  #replaceAll(threads: Thread[]) {
    const known = new Map(this.threads.map((thread) => [thread.id, thread]));
    const next = threads.map((thread) => {
      const old = known.get(thread.id);
      return old && JSON.stringify(old) === JSON.stringify(thread) ? old : thread;
    });
    const same = next.length === this.threads.length && next.every((thread, index) => thread === this.threads[index]);
    if (!same) this.threads = next;
    this.ready = true;
  }

  /** Gives the list FIRST_LIST_TIMEOUT_MS to arrive, from now. */
  #awaitList() {
    clearTimeout(this.#deadline);
    this.#deadline = setTimeout(() => {
      this.#deadline = undefined;
      this.#fail();
    }, FIRST_LIST_TIMEOUT_MS);
  }

  #fail() {
    this.failed = true;
    this.#carriesUnread(false);
  }

  /** Asks for the stream again after it failed. */
  retry() {
    this.failed = false;
    this.#awaitList();
    reopenDocumentEvents(this.documentId);
  }

  #follow(): () => void {
    // The stream carries the person's unread count too: the inbox needs no stream of its own
    // while this one delivers.
    let detach: (() => void) | null = null;
    const carriesUnread = (carries: boolean) => {
      if (carries) detach ??= unreadChannel.attachDocumentStream();
      else {
        detach?.();
        detach = null;
      }
    };
    this.#carriesUnread = carriesUnread;
    carriesUnread(true);
    this.#awaitList();
    const stop = followDocumentEvents(this.documentId, {
      threads: (data) => {
        clearTimeout(this.#deadline);
        this.#deadline = undefined;
        this.failed = false;
        carriesUnread(true);
        this.#replaceAll((data as { threads: Thread[] }).threads);
      },
      error: (data) => {
        if ((data as { closed: boolean }).closed) this.#fail();
      },
      thread: (data) => this.upsert((data as { thread: Thread }).thread),
      'thread-deleted': (data) => {
        const { id } = data as { id: string };
        this.threads = this.threads.filter((thread) => thread.id !== id);
      },
      unread: (data) => unreadChannel.publish((data as { unread: number }).unread),
      end: () => {
        this.lost = true;
        carriesUnread(false);
      },
    });
    return () => {
      clearTimeout(this.#deadline);
      stop();
      carriesUnread(false);
    };
  }

  /** Puts a thread in place (or adds it). */
  upsert(thread: Thread) {
    const index = this.threads.findIndex((t) => t.id === thread.id);
    this.threads =
      index < 0 ? [...this.threads, thread] : this.threads.map((known, at) => (at === index ? thread : known));
  }

  /** Threads the filter selects; `mine` means started by or written in by `userId`. */
  filtered(filter: ThreadFilter, userId: string | undefined): Thread[] {
    return this.threads.filter((thread) => {
      if (filter === 'open') return !thread.resolved;
      if (filter === 'resolved') return thread.resolved;
      return thread.comments.some((comment) => comment.author?.id === userId);
    });
  }

  /** Open threads per anchor key (for markers on milestones, actions and passages). */
  openCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const thread of this.threads) {
      if (thread.resolved) continue;
      const key = anchorKey(thread);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Opens a thread; with `suggestion`, one proposing that text in place of the anchored passage.
   * A passage may have been typed a moment ago: with `synced` (resolves once the editor's edits go
   * to the server) it is sent after that, and once more when the server has not committed the
   * passage yet (409 `passage_pending`).
   */
  async open(body: string, anchor: ThreadAnchor, suggestion?: string, synced?: () => Promise<boolean>) {
    const send = () =>
      api<{ thread: Thread }>('POST', `/api/documents/${this.documentId}/threads`, {
        body,
        anchor,
        ...(suggestion === undefined ? {} : { suggestion: { text: suggestion } }),
      });
    const passage = anchor.type === 'text' && synced !== undefined;
    if (passage) await synced();
    let answer: { thread: Thread };
    try {
      answer = await send();
    } catch (error) {
      if (!passage || !(error instanceof ApiError) || error.code !== 'passage_pending') throw error;
      await synced();
      await new Promise((done) => setTimeout(done, PENDING_RETRY_MS));
      answer = await send();
    }
    this.upsert(answer.thread);
    return answer.thread;
  }

  /** Accepts a suggested change; `confirm` when its passage has changed since (else the server answers 409). */
  async accept(threadId: string, confirm = false) {
    const { thread } = await api<{ thread: Thread }>('POST', `/api/threads/${threadId}/suggestion/accept`, {
      confirm,
    });
    this.upsert(thread);
  }

  async reject(threadId: string) {
    const { thread } = await api<{ thread: Thread }>('POST', `/api/threads/${threadId}/suggestion/reject`, {});
    this.upsert(thread);
  }

  async reply(threadId: string, body: string) {
    await api('POST', `/api/threads/${threadId}/comments`, { body });
  }

  async edit(commentId: string, body: string) {
    await api('PATCH', `/api/comments/${commentId}`, { body });
  }

  async remove(commentId: string) {
    await api('DELETE', `/api/comments/${commentId}`);
  }

  async setResolved(threadId: string, resolved: boolean) {
    const { thread } = await api<{ thread: Thread }>('PATCH', `/api/threads/${threadId}`, { resolved });
    this.upsert(thread);
  }
}

/** The threads of the document the page is opening, asked for together with the document itself. */
let early: ThreadStore | null = null;

/**
 * Opens a document's thread stream while the page still asks for the document, so that a long
 * list arrives while the page waits for the network instead of after the text (like the editor's
 * early session). The document's comment scope takes it over (`takeEarlyThreads`).
 */
export function openThreadsEarly(documentId: string) {
  dropThreadsEarly();
  early = new ThreadStore(documentId);
  early.connectEarly();
}

/** Closes the early stream nobody took over, e.g. when the document turned out to be missing. */
export function dropThreadsEarly() {
  early?.dropEarly();
  early = null;
}

/** The store opened early for this document, once; null when there is none. */
export function takeEarlyThreads(documentId: string): ThreadStore | null {
  const taken = early?.documentId === documentId ? early : null;
  if (taken) early = null;
  return taken;
}
