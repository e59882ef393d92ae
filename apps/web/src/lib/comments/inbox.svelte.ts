import type { Notification } from '@nordraum/domain';
import { api } from '#lib/api/client.ts';

/** The signed-in person's notifications: the unread count live, the list when asked. */
export class Inbox {
  unread = $state(0);
  items = $state<Notification[]>([]);
  loaded = $state(false);

  /**
   * Follows the unread count: asks every 30 s and whenever the tab comes back into view. Not over
   * the server-sent events of GET /api/notifications/events (which the server offers): over
   * HTTP/1.1 a browser keeps at most six connections to a host, and a stream per tab on top of a
   * document's comment stream used them up with three tabs open.
   */
  connect(): () => void {
    const refresh = () => {
      if (document.visibilityState === 'visible') void this.count().catch(() => undefined);
    };
    refresh();
    const timer = setInterval(refresh, 30_000);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }

  async count() {
    const answer = await api<{ unread: number }>('GET', '/api/notifications?limit=1');
    if (answer.unread !== this.unread && this.loaded) await this.load();
    this.unread = answer.unread;
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
