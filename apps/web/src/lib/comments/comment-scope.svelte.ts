import type { ThreadAnchor } from '@nordraum/domain';
import { getContext, setContext } from 'svelte';
import { t } from '#lib/i18n/index.ts';
import { ThreadStore, takeEarlyThreads } from './thread-store.svelte.ts';

/** A milestone's or an action's anchor: the rows of a roadmap or an action list comment on these. */
export type ItemAnchor = Extract<ThreadAnchor, { type: 'milestone' } | { type: 'action' }>;

/** The key under which an item's threads are counted (as `anchorKey` counts them). */
export function itemKey(anchor: ItemAnchor): string {
  return anchor.type === 'milestone' ? `milestone:${anchor.milestoneId}` : `action:${anchor.actionId}`;
}

/**
 * A document's threads, shared by the comment panel and the rows of its roadmap or action list:
 * a row shows how many open threads it has and asks the panel to show them and comment on it.
 */
export class CommentScope {
  readonly store: ThreadStore;
  /** The item whose threads the panel shows and a new comment goes to; null for the whole document. */
  focus = $state<{ anchor: ItemAnchor; title: string } | null>(null);
  /** Counts the requests, so asking twice for the same item brings the panel into view again. */
  requests = $state(0);
  /** Open threads per anchor key, recomputed once per change of the threads (not per row). */
  readonly counts = $derived.by(() => this.store.openCounts());

  constructor(documentId: string) {
    this.store = takeEarlyThreads(documentId) ?? new ThreadStore(documentId);
  }

  /**
   * Open threads on an item; null until the stream's first thread list has arrived: the threads
   * come on their own stream, often after the document, and a 0 before it would claim "no
   * comments" where nobody knows yet.
   */
  openOn(anchor: ItemAnchor): number | null {
    if (!this.store.ready) return null;
    return this.counts.get(itemKey(anchor)) ?? 0;
  }

  /**
   * An item's open threads in words, for its button's name: loading until the first list has
   * arrived, or not available once the stream failed.
   */
  countWords(anchor: ItemAnchor): string {
    const count = this.openOn(anchor);
    if (count !== null) return t('comments.openCount', { count });
    return this.store.failed ? t('comments.countUnavailable') : t('comments.countLoading');
  }

  /** Shows an item's threads in the panel, with the form to comment on it. */
  openFor(anchor: ItemAnchor, title: string) {
    this.focus = { anchor, title };
    this.requests += 1;
  }

  /** Back to the whole document's threads. */
  clear() {
    this.focus = null;
  }
}

const scopeKey = Symbol('comment-scope');

/** Makes a document's comment scope available to the components below (the page sets it). */
export function setCommentScope(scope: CommentScope): CommentScope {
  return setContext(scopeKey, scope);
}

/** The document's comment scope, when the page set one. */
export function getCommentScope(): CommentScope | undefined {
  return getContext<CommentScope | undefined>(scopeKey);
}
