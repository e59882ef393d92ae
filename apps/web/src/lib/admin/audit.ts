import type { MessageKey } from '#lib/i18n/index.ts';

/** Audit actions the server writes, with their label keys; unknown ones are shown as their code. */
export const AUDIT_ACTIONS = {
  'auth.login': 'admin.audit.actions.login',
  'auth.login_failed': 'admin.audit.actions.loginFailed',
  'auth.logout': 'admin.audit.actions.logout',
  'room.create': 'admin.audit.actions.roomCreate',
  'room.update': 'admin.audit.actions.roomUpdate',
  'room.member.set': 'admin.audit.actions.memberSet',
  'room.member.remove': 'admin.audit.actions.memberRemove',
  'room.grant.set': 'admin.audit.actions.grantSet',
  'room.grant.remove': 'admin.audit.actions.grantRemove',
  'document.create': 'admin.audit.actions.documentCreate',
  'document.rename': 'admin.audit.actions.documentRename',
  'document.archive': 'admin.audit.actions.documentArchive',
  'document.restore': 'admin.audit.actions.documentRestore',
  'user.create': 'admin.audit.actions.userCreate',
  'user.update': 'admin.audit.actions.userUpdate',
  'user.disable': 'admin.audit.actions.userDisable',
  'user.enable': 'admin.audit.actions.userEnable',
  'user.password_change': 'admin.audit.actions.passwordChange',
  'user.password_reset_link': 'admin.audit.actions.passwordResetLink',
  'user.password_reset': 'admin.audit.actions.passwordReset',
  'invitation.create': 'admin.audit.actions.invitationCreate',
  'invitation.delete': 'admin.audit.actions.invitationDelete',
  'invitation.accept': 'admin.audit.actions.invitationAccept',
  'organization.create': 'admin.audit.actions.organizationCreate',
  'organization.update': 'admin.audit.actions.organizationUpdate',
} as const satisfies Record<string, MessageKey>;

type AuditActionKey = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/** The label key of an audit action, or undefined for actions this UI does not know yet. */
export function auditActionKey(action: string): AuditActionKey | undefined {
  return (AUDIT_ACTIONS as Record<string, AuditActionKey>)[action];
}

/**
 * Turns the value of an <input type="date"> (YYYY-MM-DD, a local calendar day) into the instant
 * where that day starts, or with `endOfDay` where it ends, as ISO 8601 for the audit query.
 */
export function dayBoundary(day: string, endOfDay = false): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  const start = new Date(year, month - 1, date);
  if (endOfDay) start.setDate(start.getDate() + 1);
  // The end bound is inclusive on the server, so stop one millisecond before the next day.
  return new Date(start.getTime() - (endOfDay ? 1 : 0)).toISOString();
}
