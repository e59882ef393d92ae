import type { AuditAction } from '@nordraum/domain';
import type { MessageKey } from '#lib/i18n/index.ts';

/**
 * The label of every action the server records. Keyed by the domain's list (`auditActions`, the
 * one `writeAudit` accepts), so a new action does not compile until it has a label here.
 */
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
  'document.export': 'admin.audit.actions.documentExport',
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
  'audit.export': 'admin.audit.actions.auditExport',
  'comment.delete': 'admin.audit.actions.commentDelete',
  'document.version.restore': 'admin.audit.actions.versionRestore',
  'document.version.create': 'admin.audit.actions.versionCreate',
  'calendar.delete': 'admin.audit.actions.calendarDelete',
  'calendar.renew': 'admin.audit.actions.calendarRenew',
  'document.import': 'admin.audit.actions.documentImport',
} as const satisfies Record<AuditAction, MessageKey>;
