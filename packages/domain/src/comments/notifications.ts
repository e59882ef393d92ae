import { z } from 'zod';
import { idSchema } from '../schemas.ts';
import { mailDeliveries, notificationKinds } from './notification-kinds.ts';

export {
  defaultMailDelivery,
  type MailDelivery,
  mailDeliveries,
  type NotificationKind,
  notificationKinds,
} from './notification-kinds.ts';

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
