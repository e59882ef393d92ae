import { toCsv } from './export/csv.ts';
import type { AuditEntry } from './schemas.ts';

/**
 * Every action the audit log records, with its German label for the CSV export: the one list the
 * server writes from (`writeAudit` takes only these), the admin page filters by and labels (its
 * catalogue must name each one, in German and English), so a new action cannot be forgotten.
 */
export const auditActionLabels = {
  'auth.login': 'Anmeldung',
  'auth.login_failed': 'Fehlgeschlagene Anmeldung',
  'auth.logout': 'Abmeldung',
  'room.create': 'Datenraum angelegt',
  'room.update': 'Datenraum geändert',
  'room.member.set': 'Mitgliedsrolle gesetzt',
  'room.member.remove': 'Mitglied entfernt',
  'room.grant.set': 'Freigabe erteilt',
  'room.grant.remove': 'Freigabe zurückgezogen',
  'document.create': 'Dokument angelegt',
  'document.rename': 'Dokument umbenannt',
  'document.archive': 'Dokument archiviert',
  'document.restore': 'Dokument wiederhergestellt',
  'document.export': 'Dokument exportiert',
  'user.create': 'Person angelegt',
  'user.update': 'Person geändert',
  'user.disable': 'Person deaktiviert',
  'user.enable': 'Person aktiviert',
  'user.password_change': 'Passwort geändert',
  'user.password_reset_link': 'Link zum Zurücksetzen erzeugt',
  'user.password_reset': 'Passwort zurückgesetzt',
  'invitation.create': 'Einladung erstellt',
  'invitation.delete': 'Einladung zurückgezogen',
  'invitation.accept': 'Einladung angenommen',
  'organization.create': 'Organisation angelegt',
  'organization.update': 'Organisation geändert',
  'audit.export': 'Protokoll exportiert',
  'comment.delete': 'Kommentar gelöscht',
  'document.version.restore': 'Version wiederhergestellt',
  'document.version.create': 'Version benannt',
  'calendar.delete': 'Kalenderadresse gelöscht',
  'calendar.renew': 'Kalenderadresse erneuert',
  'decision.export': 'Beschlussregister exportiert',
  'decision.supersede': 'Beschluss aufgehoben',
  'decision.create': 'Beschluss erfasst',
  'meeting.minutes': 'Protokoll einer Sitzung angelegt',
  'meeting.update': 'Sitzung geändert',
  'meeting.create': 'Sitzung angelegt',
  'comment.suggestion.reject': 'Änderungsvorschlag abgelehnt',
  'comment.suggestion.accept': 'Änderungsvorschlag übernommen',
  'review.reject': 'Änderungen verlangt (Prüfung geschlossen)',
  'review.approve': 'Version freigegeben',
  'review.withdraw': 'Prüfung zurückgezogen',
  'review.answer': 'Prüfung beantwortet',
  'review.request': 'Prüfung angefordert',
  'document.import': 'Dokument importiert',
  'template.create': 'Vorlage gespeichert',
  'template.delete': 'Vorlage gelöscht',
} as const;

/** An action the audit log records. */
export type AuditAction = keyof typeof auditActionLabels;

/** Every audit action, in the order the filter lists them. */
export const auditActions = Object.keys(auditActionLabels) as AuditAction[];

/** Whether `value` is an action the audit log records. */
export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(auditActionLabels, value);
}

const berlinTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/**
 * The audit log as CSV for a spreadsheet (German conventions, see csv.ts): names as they are now,
 * ids beside them so a row stays traceable after a rename, details as JSON.
 */
export function auditToCsv(entries: AuditEntry[]): string {
  const header = [
    'Zeitpunkt (Europe/Berlin)',
    'Zeitpunkt (UTC)',
    'Person',
    'E-Mail',
    'Aktion',
    'Aktionscode',
    'Betrifft (Art)',
    'Betrifft',
    'Betrifft (ID)',
    'Datenraum',
    'Datenraum (ID)',
    'IP-Adresse',
    'Details',
  ];
  const rows = entries.map((entry) => [
    berlinTime.format(new Date(entry.at)),
    entry.at,
    entry.actorName,
    entry.actorEmail,
    isAuditAction(entry.action) ? auditActionLabels[entry.action] : entry.action,
    entry.action,
    entry.targetType,
    entry.targetName,
    entry.targetId,
    entry.roomName,
    entry.roomId,
    entry.ip,
    Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : '',
  ]);
  return toCsv(header, rows);
}
