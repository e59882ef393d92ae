import type { FieldIssue, Milestone, MilestoneStatus } from '@nordraum/domain';
import { milestoneStatuses } from '@nordraum/domain';
import { t } from '#lib/i18n/index.ts';

/**
 * How a status looks on the timeline. Colour is never the only carrier: each status has its own
 * symbol and, for the two that need attention, a hatching pattern; the legend names all three.
 * Fills are light so the dark text on them keeps at least 7:1 contrast.
 */
export const statusLook: Record<MilestoneStatus, { fill: string; stroke: string; glyph: string; pattern?: string }> = {
  planned: { fill: '#eceef5', stroke: '#4a4f63', glyph: '○' },
  in_progress: { fill: '#dbe8fb', stroke: '#1d4f91', glyph: '▶' },
  done: { fill: '#dcf2e3', stroke: '#00725c', glyph: '✓' },
  at_risk: { fill: '#fff1d6', stroke: '#8a4b08', glyph: '!', pattern: 'hatch-risk' },
  blocked: { fill: '#fde2e2', stroke: '#a4001b', glyph: '✕', pattern: 'hatch-blocked' },
};

/** The translated name of a milestone status. */
export const statusLabel = (status: MilestoneStatus): string => t(`roadmap.status.${status}`);

/** Options for a status select. */
export const statusOptions = () => milestoneStatuses.map((value) => ({ value, label: statusLabel(value) }));

/** Who leads a milestone, as shown on a bar: SH, MV, "gemeinsam" or the organisation code. */
export function leadLabel(lead: string): string {
  return lead === 'joint' ? t('roadmap.lead.joint') : lead;
}

/** Options for the lead select: the two Länder, both together, then the other organisations. */
export function leadOptions(organizationCodes: readonly string[], current?: string) {
  const codes = ['SH', 'MV', 'joint', ...organizationCodes.filter((code) => code !== 'SH' && code !== 'MV')];
  if (current && !codes.includes(current)) codes.push(current);
  return codes.map((value) => ({ value, label: value === 'joint' ? t('roadmap.lead.jointLong') : value }));
}

/** A sentence naming what is wrong with values other clients wrote, or '' when nothing is. */
export function issueText(issues: readonly FieldIssue[], extra: string[] = []): string {
  const fields = [
    ...new Set([
      ...issues.filter((issue) => issue.problem === 'invalid').map((issue) => fieldName(issue.field)),
      ...extra,
    ]),
  ];
  return fields.length === 0 ? '' : t('roadmap.invalid.fields', { fields: fields.join(', ') });
}

function fieldName(field: string): string {
  switch (field) {
    case 'end':
      return t('roadmap.field.end');
    case 'start':
      return t('roadmap.field.start');
    case 'status':
      return t('roadmap.field.status');
    case 'title':
      return t('roadmap.field.title');
    case 'theme':
      return t('roadmap.field.theme');
    case 'lead':
      return t('roadmap.field.lead');
    case 'owners':
      return t('roadmap.field.owners');
    default:
      return field;
  }
}

/** Invalid parts of a milestone, including a theme that does not exist. */
export function milestoneProblems(milestone: Milestone, themeIds: ReadonlySet<string>): string {
  const extra = themeIds.has(milestone.themeId) ? [] : [t('roadmap.field.theme')];
  const reversed = milestone.start !== null && milestone.end !== null && milestone.end < milestone.start;
  // The reader reports a reversed range as an invalid end; say what is actually wrong.
  const issues = reversed ? milestone.issues.filter((issue) => issue.field !== 'end') : milestone.issues;
  const text = issueText(issues, extra);
  if (!reversed) return text;
  return [t('roadmap.invalid.endBeforeStart'), text].filter(Boolean).join(' ');
}
