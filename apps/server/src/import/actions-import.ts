import {
  type ActionStatus,
  actionListOf,
  actionStatuses,
  actionStatusLabels,
  fieldLimits,
  isIsoDate,
} from '@nordraum/domain';
import * as Y from 'yjs';
import type { ReadRow } from './table-read.ts';

/**
 * Rows of a spreadsheet as actions: which column holds which field (the mapping, suggested from
 * the header names in German and English), each row checked against what an action list takes
 * (a title within its limit, a date that exists, a person of the room by name or e-mail, a known
 * Land or organisation, a known status), and the new list's content written only when every
 * row is valid, so an import never leaves half a list behind.
 */

export const importFields = ['title', 'owner', 'organization', 'due', 'status'] as const;
export type ImportField = (typeof importFields)[number];

/** Field → column index in the file, or null when the field is not taken from the file. */
export type ColumnMapping = Record<ImportField, number | null>;

export type RowErrorCode =
  | 'required'
  | 'too_long'
  | 'bad_date'
  | 'unknown_person'
  | 'ambiguous_person'
  | 'unknown_organization'
  | 'unknown_status';

export interface CheckedRow {
  line: number;
  /** The cells of the mapped columns, as in the file. */
  values: Record<ImportField, string>;
  errors: { field: ImportField; code: RowErrorCode }[];
}

/** The room's people and the known organisations a row is checked against. */
export interface ImportDirectory {
  members: { id: string; name: string; email: string; organizationCode: string }[];
  organizations: { code: string; name: string }[];
}

const normal = (text: string) =>
  text
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .replace(/[^a-z0-9]/g, '');

/** Header names each field is known by, German and English, normalised (see `normal`). */
const headerNames: Record<ImportField, string[]> = {
  title: ['titel', 'title', 'massnahme', 'aufgabe', 'action', 'task', 'todo', 'betreff', 'subject', 'name'],
  owner: [
    'verantwortlich',
    'verantwortliche',
    'verantwortlicher',
    'owner',
    'zustaendig',
    'assignee',
    'responsible',
    'person',
    'wer',
  ],
  organization: ['landorganisation', 'land', 'organisation', 'organization', 'org', 'bundesland'],
  due: ['faelligam', 'faellig', 'frist', 'termin', 'due', 'duedate', 'deadline', 'bis', 'datum', 'date'],
  status: ['status', 'stand', 'state'],
};

/** The mapping the header row suggests: exact names first, then names that contain one. */
export function suggestMapping(header: string[]): ColumnMapping {
  const names = header.map(normal);
  const taken = new Set<number>();
  const mapping = Object.fromEntries(importFields.map((field) => [field, null])) as ColumnMapping;
  for (const exact of [true, false])
    for (const field of importFields) {
      if (mapping[field] !== null) continue;
      const index = names.findIndex(
        (name, column) =>
          !taken.has(column) &&
          name !== '' &&
          headerNames[field].some((known) => (exact ? name === known : known.length > 3 && name.includes(known))),
      );
      if (index >= 0) {
        mapping[field] = index;
        taken.add(index);
      }
    }
  return mapping;
}

/** 2027-02-15, 15.02.2027, 15.2.27 → 2027-02-15; empty → null; anything else → undefined. */
export function parseDate(text: string): string | null | undefined {
  if (text === '') return null;
  let iso: string | undefined;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) iso = text;
  else if (german) {
    const year = german[3]!.length === 2 ? `20${german[3]}` : german[3]!;
    iso = `${year}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}`;
  }
  return iso && isIsoDate(iso) ? iso : undefined;
}

const statusNames = new Map<string, ActionStatus>([
  ...actionStatuses.map((status) => [normal(status), status] as const),
  ...actionStatuses.map((status) => [normal(actionStatusLabels[status]), status] as const),
  [normal('in progress'), 'in_progress'],
  [normal('offen'), 'open'],
  [normal('erledigt'), 'done'],
]);

/** A resolved row: what an action list's `addItem` takes. */
export interface ImportedAction {
  title: string;
  ownerId: string | null;
  organization: string | null;
  due: string | null;
  status: ActionStatus;
}

function resolveOwner(text: string, directory: ImportDirectory) {
  if (text === '') return { id: null };
  const wanted = text
    .replace(/\s*\([^)]*\)$/, '')
    .trim()
    .toLowerCase();
  const byEmail = directory.members.filter((member) => member.email.toLowerCase() === wanted);
  const found = byEmail.length ? byEmail : directory.members.filter((member) => member.name.toLowerCase() === wanted);
  if (found.length === 1) return { id: found[0]!.id, organization: found[0]!.organizationCode };
  return { error: (found.length > 1 ? 'ambiguous_person' : 'unknown_person') as RowErrorCode };
}

/** One row checked and, when valid, resolved. */
export function checkRow(row: ReadRow, mapping: ColumnMapping, directory: ImportDirectory) {
  const values = Object.fromEntries(
    importFields.map((field) => [field, mapping[field] === null ? '' : (row.cells[mapping[field]!] ?? '').trim()]),
  ) as Record<ImportField, string>;
  const errors: CheckedRow['errors'] = [];
  if (values.title === '') errors.push({ field: 'title', code: 'required' });
  if (values.title.length > fieldLimits.title) errors.push({ field: 'title', code: 'too_long' });
  const owner = resolveOwner(values.owner, directory);
  if (owner.error) errors.push({ field: 'owner', code: owner.error });
  const organization = values.organization
    ? directory.organizations.find(
        (known) => normal(known.code) === normal(values.organization) || known.name === values.organization,
      )?.code
    : (owner.organization ?? null);
  if (values.organization.length > fieldLimits.code) errors.push({ field: 'organization', code: 'too_long' });
  else if (organization === undefined) errors.push({ field: 'organization', code: 'unknown_organization' });
  const due = parseDate(values.due);
  if (due === undefined) errors.push({ field: 'due', code: 'bad_date' });
  const status = values.status === '' ? 'open' : statusNames.get(normal(values.status));
  if (!status) errors.push({ field: 'status', code: 'unknown_status' });
  const checked: CheckedRow = { line: row.line, values, errors };
  const action: ImportedAction | null = errors.length
    ? null
    : {
        title: values.title,
        ownerId: owner.id ?? null,
        organization: organization ?? null,
        due: due ?? null,
        status: status!,
      };
  return { checked, action };
}

/** The content of a new action list holding `actions` in their order, as one Yjs update. */
export function actionListState(actions: ImportedAction[]): Uint8Array {
  const doc = new Y.Doc();
  const list = actionListOf(doc);
  doc.transact(() => {
    for (const [index, action] of actions.entries()) list.addItem({ ...action, order: index + 1 });
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
