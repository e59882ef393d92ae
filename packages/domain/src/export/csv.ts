import type { ActionItem } from '../shapes/actions.ts';
import type { Milestone, Theme } from '../shapes/roadmap.ts';

/**
 * CSV as German spreadsheet programs open it without an import dialog: UTF-8 with a byte order
 * mark, semicolons, CRLF, German dates. A cell that starts like a formula (=, +, -, @, tab, CR) is
 * prefixed with an apostrophe, so a title such as `=HYPERLINK(...)` stays text (CSV injection).
 */

const bom = '\uFEFF';

/** One CSV cell: neutralised and quoted as needed. */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document from a header row and data rows. */
export function toCsv(header: string[], rows: (string | null | undefined)[][]): string {
  return `${bom}${[header, ...rows].map((row) => row.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** 2026-12-15 → 15.12.2026 */
export function germanDate(isoDate: string | null): string {
  if (!isoDate) return '';
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${day}.${month}.${year}`;
}

export const actionStatusLabels = {
  open: 'offen',
  in_progress: 'in Bearbeitung',
  done: 'erledigt',
  blocked: 'blockiert',
} as const;
export const milestoneStatusLabels = {
  planned: 'geplant',
  in_progress: 'in Arbeit',
  done: 'erledigt',
  at_risk: 'gefährdet',
  blocked: 'blockiert',
} as const;

/** Names for ids: users (owners) and milestones, as the exporting server knows them. */
export interface ExportNames {
  users: ReadonlyMap<string, string>;
  milestones: ReadonlyMap<string, string>;
}

/** An action list as CSV. */
export function actionsToCsv(items: ActionItem[], names: ExportNames): string {
  const header = [
    'Titel',
    'Verantwortlich',
    'Land/Organisation',
    'Fällig am',
    'Status',
    'Meilenstein',
    'Erstellt am',
    'Erledigt am',
  ];
  const rows = items.map((item) => [
    item.title,
    item.ownerId ? (names.users.get(item.ownerId) ?? '') : '',
    item.organization,
    germanDate(item.due),
    actionStatusLabels[item.status],
    item.milestoneId ? (names.milestones.get(item.milestoneId) ?? '(entfernt)') : '',
    germanDate(item.createdAt || null),
    germanDate(item.doneAt),
  ]);
  return toCsv(header, rows);
}

/** A roadmap as CSV, one row per milestone, by theme and start. */
export function roadmapToCsv(themes: Theme[], milestones: Milestone[], users: ReadonlyMap<string, string>): string {
  const themeNames = new Map(themes.map((theme) => [theme.id, theme.name]));
  const order = new Map(themes.map((theme, index) => [theme.id, index]));
  const sorted = [...milestones].sort(
    (a, b) =>
      (order.get(a.themeId) ?? 99) - (order.get(b.themeId) ?? 99) || (a.start ?? '').localeCompare(b.start ?? ''),
  );
  const header = [
    'Thema',
    'Meilenstein',
    'Beginn',
    'Ende',
    'Status',
    'Federführung',
    'Verantwortliche',
    'Beschreibung',
  ];
  const rows = sorted.map((milestone) => [
    themeNames.get(milestone.themeId) ?? '',
    milestone.title,
    germanDate(milestone.start),
    germanDate(milestone.end),
    milestoneStatusLabels[milestone.status],
    milestone.lead === 'joint' ? 'gemeinsam' : milestone.lead,
    milestone.owners
      .map((id) => users.get(id) ?? '')
      .filter(Boolean)
      .join(', '),
    milestone.description,
  ]);
  return toCsv(header, rows);
}
