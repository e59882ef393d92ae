/**
 * What a person can be notified of and how they want it by e-mail, which need no schema: the web
 * app's account page imports them without loading zod, which the schemas in notifications.ts need.
 */

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
