import type { Notification } from '@nordraum/domain';
import { api } from '#lib/api/client.ts';

/** The signed-in person's notifications: the unread count live, the list when asked. */
export class Inbox {
  unread = $state(0);
  items = $state<Notification[]>([]);
  loaded = $state(false);

  /** Follows the unread count over server-sent events; returns the function that stops it. */
  connect(): () => void {
    const source = new EventSource('/api/notifications/events');
    source.addEventListener('unread', (event) => {
      this.unread = (JSON.parse((event as MessageEvent).data) as { unread: number }).unread;
      if (this.loaded) void this.load();
    });
    source.addEventListener('end', () => source.close());
    return () => source.close();
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
