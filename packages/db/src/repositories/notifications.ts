import {
  defaultMailDelivery,
  type MailDelivery,
  type Notification,
  type NotificationKind,
  notificationKinds,
} from '@nordraum/domain';
import { and, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { notification, notificationPreference, organization, user } from '../schema.ts';

/** A notification to record; `dedupeKey` makes a repeated one a no-op for that person. */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actorId: string | null;
  roomId: string | null;
  documentId?: string | null;
  threadId?: string | null;
  itemId?: string | null;
  data: Record<string, string | null>;
  dedupeKey?: string | null;
}

/** Records notifications, never for their own actor; returns how many were new. */
export async function insertNotifications(db: Queryable, rows: NewNotification[]): Promise<number> {
  const wanted = rows.filter((row) => row.userId !== row.actorId);
  if (wanted.length === 0) return 0;
  const inserted = await db
    .insert(notification)
    .values(wanted)
    .onConflictDoNothing({ target: [notification.userId, notification.dedupeKey] })
    .returning({ id: notification.id });
  return inserted.length;
}

/** The page address that opens what a notification is about. */
export function notificationLink(row: typeof notification.$inferSelect): string {
  if (row.data.reviewId) return `/reviews/${row.data.reviewId}`;
  if (row.documentId && row.threadId) return `/documents/${row.documentId}?thread=${row.threadId}`;
  if (row.documentId && row.itemId) return `/documents/${row.documentId}?action=${encodeURIComponent(row.itemId)}`;
  if (row.documentId) return `/documents/${row.documentId}`;
  if (row.roomId) return `/rooms/${row.roomId}`;
  return '/';
}

/** A person's newest notifications, as the inbox shows them. */
export async function listNotifications(db: Queryable, userId: string, limit = 50): Promise<Notification[]> {
  const rows = await db
    .select({ notification, actorName: user.name, actorCode: organization.code })
    .from(notification)
    .leftJoin(user, eq(user.id, notification.actorId))
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(notification.userId, userId))
    .orderBy(desc(notification.createdAt), desc(notification.id))
    .limit(limit);
  return rows.map(({ notification: row, actorName, actorCode }) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    link: notificationLink(row),
    actor:
      row.actorId && actorName !== null
        ? { id: row.actorId, name: actorName, organization: { code: actorCode! } }
        : null,
    roomName: row.data.roomName ?? null,
    documentTitle: row.data.documentTitle ?? null,
    excerpt: row.data.excerpt ?? row.data.title ?? null,
    due: row.data.due ?? null,
    outcome: row.data.outcome ?? null,
  }));
}

/** How many of a person's notifications are unread. */
export async function countUnread(db: Queryable, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notification)
    .where(and(eq(notification.userId, userId), isNull(notification.readAt)));
  return row?.n ?? 0;
}

/** Marks some (or, without ids, all) of a person's notifications read. */
export async function markNotificationsRead(db: Queryable, userId: string, ids?: string[]) {
  const which = ids
    ? and(eq(notification.userId, userId), inArray(notification.id, ids))
    : eq(notification.userId, userId);
  await db
    .update(notification)
    .set({ readAt: sql`now()` })
    .where(and(which, isNull(notification.readAt)));
}

/** A person's mail choice for every kind, defaults filled in. */
export async function getMailPreferences(
  db: Queryable,
  userId: string,
): Promise<Record<NotificationKind, MailDelivery>> {
  const rows = await db.select().from(notificationPreference).where(eq(notificationPreference.userId, userId));
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]));
  return Object.fromEntries(
    notificationKinds.map((kind) => [kind, chosen.get(kind) ?? defaultMailDelivery[kind]]),
  ) as Record<NotificationKind, MailDelivery>;
}

/** Stores a person's mail choices for the kinds given. */
export async function setMailPreferences(
  db: Queryable,
  userId: string,
  preferences: Partial<Record<NotificationKind, MailDelivery>>,
) {
  const values = Object.entries(preferences).map(([kind, delivery]) => ({
    userId,
    kind: kind as NotificationKind,
    delivery: delivery as MailDelivery,
  }));
  if (values.length === 0) return;
  await db
    .insert(notificationPreference)
    .values(values)
    .onConflictDoUpdate({
      target: [notificationPreference.userId, notificationPreference.kind],
      set: { delivery: sql`excluded.delivery` },
    });
}

/**
 * Records "due in two days or overdue" for every open action with an owner who may read its list,
 * once per action and day (Europe/Berlin), in one statement. Returns how many were new.
 */
export async function enqueueDueReminders(db: Queryable): Promise<number> {
  const result = await db.execute(sql`
    insert into notification (user_id, kind, room_id, document_id, item_id, data, dedupe_key)
    select a.owner_id, 'action_due', d.room_id, a.document_id, a.item_id,
      jsonb_build_object('title', a.title, 'documentTitle', d.title, 'roomName', r.name, 'due', a.due::text),
      'due:' || a.document_id || ':' || a.item_id || ':' || (now() at time zone 'Europe/Berlin')::date
    from action_index a
    join document d on d.id = a.document_id and d.archived_at is null
    join room r on r.id = d.room_id
    join "user" u on u.id = a.owner_id and u.disabled_at is null
    where a.status <> 'done' and a.due is not null
      and a.due <= (now() at time zone 'Europe/Berlin')::date + 2
      and (exists (select 1 from room_member m where m.room_id = d.room_id and m.user_id = u.id)
        or exists (select 1 from organization_grant g where g.room_id = d.room_id and g.organization_id = u.organization_id))
    on conflict (user_id, dedupe_key) do nothing`);
  return result.rowCount ?? 0;
}

/** A notification whose mail is due, with what the mail needs of its recipient. */
export interface MailJob {
  row: typeof notification.$inferSelect;
  email: string;
  locale: string;
  delivery: MailDelivery;
  actorName: string | null;
}

/**
 * Claims up to `limit` notifications whose mail is due, leasing them for `leaseSeconds` so that
 * another instance's job does not take them too; a crash before the answer frees them again then.
 */
export async function claimMailJobs(db: Queryable, limit: number, leaseSeconds = 120): Promise<MailJob[]> {
  const claimed = await db.execute<{ id: string }>(sql`
    update notification set mail_next_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (select id from notification where mail_state = 'pending' and mail_next_at <= now()
      order by mail_next_at limit ${limit} for update skip locked)
    returning id`);
  const ids = claimed.rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const actor = sql<string | null>`(select name from "user" where id = ${notification.actorId})`;
  const rows = await db
    .select({
      row: notification,
      email: user.email,
      locale: user.locale,
      delivery: notificationPreference.delivery,
      actorName: actor,
    })
    .from(notification)
    .innerJoin(user, eq(user.id, notification.userId))
    .leftJoin(
      notificationPreference,
      and(eq(notificationPreference.userId, notification.userId), eq(notificationPreference.kind, notification.kind)),
    )
    .where(inArray(notification.id, ids));
  return rows.map((r) => ({ ...r, delivery: r.delivery ?? defaultMailDelivery[r.row.kind] }));
}

/** Sets where the mail of some notifications stands; failures wait `retryInSeconds` before the next try. */
export async function setMailState(
  db: Queryable,
  ids: string[],
  state: 'sent' | 'digest' | 'skipped' | 'failed' | 'pending',
  options: { error?: string; retryInSeconds?: number } = {},
) {
  if (ids.length === 0) return;
  await db
    .update(notification)
    .set({
      mailState: state,
      mailError: options.error?.slice(0, 500) ?? null,
      ...(state === 'digest' ? { mailNextAt: sql`now()` } : {}),
      ...(state === 'pending'
        ? {
            mailAttempts: sql`${notification.mailAttempts} + 1`,
            mailNextAt: sql`now() + make_interval(secs => ${options.retryInSeconds ?? 60})`,
          }
        : {}),
    })
    .where(inArray(notification.id, ids));
}

/** Everyone waiting for a daily summary, with the notifications it holds (claimed like single mails). */
export async function claimDigests(db: Queryable, leaseSeconds = 300) {
  const claimed = await db.execute<{ id: string }>(sql`
    update notification set mail_next_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (select id from notification where mail_state = 'digest' and mail_next_at <= now()
      for update skip locked)
    returning id`);
  const ids = claimed.rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const actor = sql<string | null>`(select name from "user" where id = ${notification.actorId})`;
  const rows = await db
    .select({ row: notification, email: user.email, locale: user.locale, actorName: actor })
    .from(notification)
    .innerJoin(user, eq(user.id, notification.userId))
    .where(and(inArray(notification.id, ids), lte(notification.createdAt, sql`now()`)))
    .orderBy(notification.createdAt);
  return [...Map.groupBy(rows, (r) => r.row.userId).values()];
}
