import { germanDate, toCsv } from '../export/csv.ts';
import type { Decision, DecisionStatus } from './schemas.ts';

/** How a decision number reads: `LK-2026-007` (the prefix is the steering committee's, Lenkungskreis). */
export function decisionNumber(year: number, seq: number, prefix = 'LK'): string {
  return `${prefix}-${year}-${String(seq).padStart(3, '0')}`;
}

export const decisionStatusLabels: Record<DecisionStatus, string> = {
  beschlossen: 'beschlossen',
  abgelehnt: 'abgelehnt',
  zurückgestellt: 'zurückgestellt',
  aufgehoben: 'aufgehoben',
};

/** Names the CSV needs beside the decisions: meetings by id, decision numbers by id. */
export interface RegisterNames {
  meetings: ReadonlyMap<string, string>;
  numbers: ReadonlyMap<string, string>;
}

/** The register as CSV (see csv.ts for the dialect), one row per decision. */
export function decisionsToCsv(decisions: Decision[], names: RegisterNames): string {
  const header = ['Nummer', 'Datum', 'Titel', 'Beschluss', 'Status', 'Sitzung', 'Ersetzt', 'Ersetzt durch'];
  const rows = decisions.map((entry) => [
    entry.number,
    germanDate(entry.date),
    entry.title,
    entry.text,
    decisionStatusLabels[entry.status],
    entry.meetingId ? (names.meetings.get(entry.meetingId) ?? '') : '',
    entry.supersedes ? (names.numbers.get(entry.supersedes) ?? '') : '',
    entry.supersededBy ? (names.numbers.get(entry.supersededBy) ?? '') : '',
  ]);
  return toCsv(header, rows);
}
