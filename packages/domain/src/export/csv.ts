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

/** A table cell: text, or a calendar date (YYYY-MM-DD) that each format writes its own way. */
export type ExportCell = string | { date: string } | null;

/** A table for CSV and spreadsheets: a header row and data rows. */
export interface ExportTable {
  header: string[];
  rows: ExportCell[][];
}

const dateCell = (isoDate: string | null | undefined): ExportCell => (isoDate ? { date: isoDate.slice(0, 10) } : null);

/** A cell as CSV text: dates the German way. */
function cellText(cell: ExportCell): string {
  return cell === null ? '' : typeof cell === 'string' ? cell : germanDate(cell.date);
}

/** An action list as a table, one row per action. */
export function actionsTable(items: ActionItem[], names: ExportNames): ExportTable {
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
    dateCell(item.due),
    actionStatusLabels[item.status],
    item.milestoneId ? (names.milestones.get(item.milestoneId) ?? '(entfernt)') : '',
    dateCell(item.createdAt || null),
    dateCell(item.doneAt),
  ]);
  return { header, rows };
}

/** An action list as CSV. */
export function actionsToCsv(items: ActionItem[], names: ExportNames): string {
  const table = actionsTable(items, names);
  return toCsv(
    table.header,
    table.rows.map((row) => row.map(cellText)),
  );
}

/** A roadmap as a table, one row per milestone, by theme and start. */
export function roadmapTable(
  themes: Theme[],
  milestones: Milestone[],
  users: ReadonlyMap<string, string>,
): ExportTable {
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
    dateCell(milestone.start),
    dateCell(milestone.end),
    milestoneStatusLabels[milestone.status],
    milestone.lead === 'joint' ? 'gemeinsam' : milestone.lead,
    milestone.owners
      .map((id) => users.get(id) ?? '')
      .filter(Boolean)
      .join(', '),
    milestone.description,
  ]);
  return { header, rows };
}

/** A roadmap as CSV, one row per milestone, by theme and start. */
export function roadmapToCsv(themes: Theme[], milestones: Milestone[], users: ReadonlyMap<string, string>): string {
  const table = roadmapTable(themes, milestones, users);
  return toCsv(
    table.header,
    table.rows.map((row) => row.map(cellText)),
  );
}
