import type { Notification } from '@nordraum/domain';
import { api } from '#lib/api/client.ts';
import { unreadChannel } from './unread-channel.svelte.ts';

/** The signed-in person's notifications: the unread count live, the list when asked. */
export class Inbox {
  unread = $state(0);
  items = $state<Notification[]>([]);
  loaded = $state(false);

  /**
   * Follows the unread count live: from the document's comment stream while one delivers in this
   * tab, else from the person's notification stream (GET /api/notifications/events), so a tab
   * keeps one event stream (a browser holds six connections to a host over HTTP/1.1). A document
   * stream that failed (refused, or no list in time) does not count: the inbox opens its own, and
   * when that is refused too (past the cap of open streams) asks for the count once by request.
   * It is asked for again when the tab comes back into view, in case a stream was interrupted.
   */
  connect(): () => void {
    const refresh = () => {
      if (document.visibilityState === 'visible') void this.count().catch(() => undefined);
    };
    const unsubscribe = unreadChannel.subscribe((unread) => this.apply(unread));
    const stopOwnStream = $effect.root(() => {
      $effect(() => {
        if (unreadChannel.documentStreams > 0) return;
        const source = new EventSource('/api/notifications/events');
        source.addEventListener('unread', (event) => {
          this.apply((JSON.parse((event as MessageEvent).data) as { unread: number }).unread);
        });
        source.addEventListener('end', () => source.close());
        // An answer that is not a stream (429) ends the EventSource for good.
        source.addEventListener('error', () => {
          if (source.readyState === EventSource.CLOSED) void this.count().catch(() => this.forget());
        });
        return () => source.close();
      });
    });
    document.addEventListener('visibilitychange', refresh);
    return () => {
      unsubscribe();
      stopOwnStream();
      document.removeEventListener('visibilitychange', refresh);
    };
  }

  /** Takes a count a stream reported; an open list is reloaded when it changed. */
  apply(unread: number) {
    if (unread !== this.unread && this.loaded) void this.load().catch(() => undefined);
    this.unread = unread;
  }

  /** No count is known: none is shown rather than an old one. */
  forget() {
    this.unread = 0;
  }

  async count() {
    const answer = await api<{ unread: number }>('GET', '/api/notifications?limit=1');
    this.apply(answer.unread);
  }

  async load() {
    const answer = await api<{ notifications: Notification[]; unread: number }>('GET', '/api/notifications');
    this.items = answer.notifications;
    this.unread = answer.unread;
    this.loaded = true;
  }

  async markRead(ids?: string[]) {
    await api('POST', '/api/notifications/read', ids ? { ids } : {});
    const now = new Date().toISOString();
    this.items = this.items.map((item) =>
      !ids || ids.includes(item.id) ? { ...item, readAt: item.readAt ?? now } : item,
    );
    this.unread = this.items.filter((item) => item.readAt === null).length;
  }
}
