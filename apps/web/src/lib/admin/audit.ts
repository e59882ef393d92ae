import { type AuditAction, auditActions, isAuditAction } from '@nordraum/domain';
import { type MessageKey, t } from '#lib/i18n/index.ts';
import { AUDIT_ACTIONS } from './audit-actions.ts';

export { AUDIT_ACTIONS };

/** The filter's choices: every recorded action, in the domain's order, labelled. */
export function auditActionOptions(): { value: AuditAction; label: string }[] {
  return auditActions.map((value) => ({ value, label: t(AUDIT_ACTIONS[value]) }));
}

/** The label of an audit action; an action from a newer server is shown as its code. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? t(AUDIT_ACTIONS[action]) : action;
}

const roleKeys: Record<string, MessageKey> = {
  owner: 'role.owner',
  editor: 'role.editor',
  commenter: 'role.commenter',
  viewer: 'role.viewer',
};
const kindKeys: Record<string, MessageKey> = { notes: 'kind.notes', roadmap: 'kind.roadmap', actions: 'kind.actions' };
const fieldKeys: Record<string, MessageKey> = {
  name: 'admin.audit.field.name',
  description: 'admin.audit.field.description',
  organizationId: 'admin.audit.field.organizationId',
  isAdmin: 'admin.audit.field.isAdmin',
  disabled: 'admin.audit.field.disabled',
  title: 'admin.audit.field.title',
  archived: 'admin.audit.field.archived',
};

// Labels without parameters, looked up by a key chosen at run time.
const plain = t as (key: MessageKey) => string;
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const labelled = (keys: Record<string, MessageKey>, value: unknown) => {
  const key = keys[text(value)];
  return key ? plain(key) : text(value);
};

/** One detail as a phrase; undefined for details nobody needs to read (a token's id). */
function phrase(name: string, value: unknown): string | undefined {
  switch (name) {
    case 'role':
      return value === null ? undefined : t('admin.audit.detail.role', { role: labelled(roleKeys, value) });
    case 'previousRole':
      return value === null ? undefined : t('admin.audit.detail.previousRole', { role: labelled(roleKeys, value) });
    case 'organization':
      return t('admin.audit.detail.organization', { code: text(value) });
    case 'email':
      return t('admin.audit.detail.email', { email: text(value) });
    case 'isAdmin':
      return value === true ? t('admin.audit.detail.isAdmin') : undefined;
    case 'changes':
      return t('admin.audit.detail.changes', {
        fields: (Array.isArray(value) ? value : [value]).map((field) => labelled(fieldKeys, field)).join(', '),
      });
    case 'kind':
      return t('admin.audit.detail.kind', { kind: labelled(kindKeys, value) });
    case 'format':
      return t('admin.audit.detail.format', { format: text(value).toUpperCase() });
    case 'code':
      return t('admin.audit.detail.code', { code: text(value) });
    case 'name':
      return t('admin.audit.detail.name', { name: text(value) });
    case 'via':
      return value === 'cli' ? t('admin.audit.detail.cli') : text(value);
    case 'bootstrap':
      return value === true ? t('admin.audit.detail.bootstrap') : undefined;
    case 'count':
      return t('admin.audit.detail.count', { count: text(value) });
    case 'filters':
      return filtersPhrase(value);
    case 'token':
      return undefined;
    default:
      return `${name}: ${text(value)}`;
  }
}

function filtersPhrase(value: unknown): string {
  const entries = Object.entries((value ?? {}) as Record<string, unknown>);
  if (entries.length === 0) return t('admin.audit.detail.noFilters');
  return t('admin.audit.detail.filters', {
    filters: entries.map(([name, filter]) => `${name} = ${text(filter)}`).join(', '),
  });
}

/** An entry's details as one readable sentence ("Rolle: Bearbeitung; vorher: Lesezugriff."). */
export function describeDetails(details: Record<string, unknown>): string {
  const phrases = Object.entries(details)
    .map(([name, value]) => phrase(name, value))
    .filter((part): part is string => Boolean(part));
  if (phrases.length === 0) return '';
  const sentence = phrases.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
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
