import { z } from 'zod';
import { idSchema } from '../schemas.ts';

/** What a person can be notified of. */
export const notificationKinds = [
  'mention',
  'reply',
  'action_assigned',
  'action_due',
  'room_added',
  'review_requested',
  'review_decided',
  'suggestion_decided',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** How a person wants e-mail for a kind: at once, in the daily summary, or not at all. */
export const mailDeliveries = ['instant', 'daily', 'off'] as const;
export type MailDelivery = (typeof mailDeliveries)[number];

/** E-mail per kind until a person chooses: reminders come once a day anyway, the rest at once. */
export const defaultMailDelivery: Record<NotificationKind, MailDelivery> = {
  mention: 'instant',
  reply: 'instant',
  action_assigned: 'instant',
  action_due: 'daily',
  room_added: 'instant',
  review_requested: 'instant',
  review_decided: 'instant',
  suggestion_decided: 'instant',
};

export const notification = z.object({
  id: z.uuid(),
  kind: z.enum(notificationKinds),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  /** The page address that opens the document at the passage, milestone or action. */
  link: z.string(),
  actor: z.object({ id: z.uuid(), name: z.string(), organization: z.object({ code: z.string() }) }).nullable(),
  roomName: z.string().nullable(),
  documentTitle: z.string().nullable(),
  /** The comment's text (mentions as `@Name`), the action's title, or null. */
  excerpt: z.string().nullable(),
  due: z.string().nullable(),
  /** How a review or a suggested change was decided (`accepted`, `rejected`, `approved`, …), or null. */
  outcome: z.string().nullable(),
});
export type Notification = z.infer<typeof notification>;

export const notificationsResponse = z.object({ notifications: z.array(notification), unread: z.number().int() });
export const markReadBody = z.object({ ids: z.array(idSchema).max(500).optional() });
export const notificationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const preferences = z.object({ preferences: z.record(z.enum(notificationKinds), z.enum(mailDeliveries)) });
export const updatePreferencesBody = z.object({
  preferences: z.partialRecord(z.enum(notificationKinds), z.enum(mailDeliveries)),
});
