import { blocksText, type NotesBlock, type TableCell } from '../export/notes-tree.ts';
import { clip, fieldLimits } from '../shapes/limits.ts';

/**
 * A protocol's actions, read from its notes for an action list. The workshop templates (German
 * and English) end with a section "Maßnahmen" / "Actions" holding a table whose header row names
 * the columns: Maßnahme/Action, Verantwortlich/Owner, Land, Fällig am/Due. The actions table is
 * the first table after a heading "Maßnahmen" or "Actions", or else the first table whose header
 * row has a column "Maßnahme" or "Action". Columns are found by their header (in either language,
 * in any order); a row without a title is an empty template row and is skipped. The owner is
 * matched to a person of the room by name, the date read as DD.MM.YYYY (or YYYY-MM-DD); what
 * cannot be matched or read stays empty and is reported, so nothing wrong is written.
 */

/** One row of a protocol's actions table as written. */
export interface ProtocolActionRow {
  title: string;
  owner: string;
  organization: string;
  due: string;
}

/** A row made ready for an action list, with what could not be taken over. */
export interface PlannedAction {
  title: string;
  ownerId: string | null;
  organization: string | null;
  due: string | null;
  /** The owner's name as written, when it matched nobody in the room. */
  unknownOwner: string | null;
  /** The due date as written, when it is not a date. */
  badDate: string | null;
}

const sectionNames = new Set(['maßnahmen', 'massnahmen', 'actions', 'action items']);
const columns = {
  title: ['maßnahme', 'massnahme', 'action', 'aufgabe'],
  owner: ['verantwortlich', 'owner', 'zuständig', 'wer'],
  organization: ['land', 'organisation', 'organization'],
  due: ['fällig am', 'fällig', 'frist', 'due', 'due date', 'bis'],
} as const;

const cellText = (cell: TableCell | undefined) => (cell ? blocksText(cell.blocks).join(' ').trim() : '');
const normal = (value: string) => value.trim().toLowerCase().replace(/:$/, '');

type Table = Extract<NotesBlock, { type: 'table' }>;

function actionsTable(blocks: NotesBlock[]): Table | undefined {
  let inSection = false;
  for (const block of blocks) {
    if (block.type === 'heading') inSection = sectionNames.has(normal(blocksText([block]).join(' ')));
    else if (block.type === 'table' && inSection) return block;
  }
  const hasTitleColumn = (block: NotesBlock): block is Table =>
    block.type === 'table' &&
    (block.rows[0] ?? []).some((cell) => (columns.title as readonly string[]).includes(normal(cellText(cell))));
  return blocks.find(hasTitleColumn);
}

/** The rows of the protocol's actions table that have a title; empty when it has none. */
export function protocolActionRows(blocks: NotesBlock[]): ProtocolActionRow[] {
  const table = actionsTable(blocks);
  if (!table) return [];
  const [header = [], ...rows] = table.rows;
  const names = header.map((cell) => normal(cellText(cell)));
  const index = (field: keyof typeof columns) =>
    names.findIndex((name) => (columns[field] as readonly string[]).includes(name));
  // A table without a recognisable header is read in the templates' order.
  const at = { title: index('title'), owner: index('owner'), organization: index('organization'), due: index('due') };
  if (at.title < 0) Object.assign(at, { title: 0, owner: 1, organization: 2, due: 3 });
  return rows
    .map((row) => ({
      title: cellText(row[at.title]),
      owner: at.owner < 0 ? '' : cellText(row[at.owner]),
      organization: at.organization < 0 ? '' : cellText(row[at.organization]),
      due: at.due < 0 ? '' : cellText(row[at.due]),
    }))
    .filter((row) => row.title !== '');
}

/** `value` as `YYYY-MM-DD` when it is a real date written DD.MM.YYYY, D.M.YYYY or YYYY-MM-DD; else null. */
export function protocolDate(value: string): string | null {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const [year, month, day] = german
    ? [Number(german[3]), Number(german[2]), Number(german[1])]
    : iso
      ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
      : [0, 0, 0];
  if (!year) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** The rows made ready for an action list of a room whose people are `people`. */
export function planProtocolActions(
  rows: ProtocolActionRow[],
  people: { id: string; name: string }[],
): PlannedAction[] {
  const byName = new Map(people.map((person) => [normal(person.name), person.id]));
  return rows.map((row) => {
    const ownerId = row.owner ? (byName.get(normal(row.owner)) ?? null) : null;
    const due = row.due ? protocolDate(row.due) : null;
    return {
      title: clip(row.title, fieldLimits.title),
      ownerId,
      organization: row.organization ? clip(row.organization.trim(), fieldLimits.code) : null,
      due,
      unknownOwner: row.owner && !ownerId ? row.owner : null,
      badDate: row.due && !due ? row.due : null,
    };
  });
}
