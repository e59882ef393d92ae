import type * as Y from 'yjs';
import type { ListItem, NotesBlock, TableCell } from '../export/notes-tree.ts';
import { writeNotesTree } from '../export/notes-tree.ts';
import type { DocumentKind } from '../roles.ts';
import { roadmapOf } from '../shapes/roadmap.ts';

/**
 * The templates Nordraum ships, in German and English: a workshop protocol, a steering committee
 * meeting, a roadmap with the five fields of the agreement, an action list. A template writes the
 * first content of a new document into its Y.Doc; ids are stable (`builtin:<name>:<language>`),
 * as programs pass them to `POST /api/rooms/:roomId/documents`.
 */

export interface Template {
  id: string;
  name: string;
  kind: DocumentKind;
  /** `builtin` for the ones shipped here. */
  scope: 'builtin';
  /** Writes the template's content into a new, empty document. */
  fill(doc: Y.Doc): void;
}

const text = (value: string) => [{ text: value }];
const heading = (level: number, value: string): NotesBlock => ({ type: 'heading', level, runs: text(value) });
const paragraph = (value: string): NotesBlock => ({ type: 'paragraph', runs: text(value) });
const labelled = (label: string, value = ''): NotesBlock => ({
  type: 'paragraph',
  runs: [{ text: `${label}:`, bold: true }, ...(value ? text(` ${value}`) : [])],
});
const item = (value: string): ListItem => ({ blocks: [paragraph(value)] });
const cells = (values: string[], header = false): TableCell[] =>
  values.map((value) => ({ header, blocks: value ? [paragraph(value)] : [] }));
const table = (header: string[], rows: number): NotesBlock => ({
  type: 'table',
  rows: [cells(header, true), ...Array.from({ length: rows }, () => cells(header.map(() => '')))],
});
const ordered = (values: string[]): NotesBlock => ({
  type: 'list',
  kind: 'ordered',
  start: 1,
  items: values.map(item),
});
const tasks = (values: string[]): NotesBlock => ({
  type: 'list',
  kind: 'task',
  start: 1,
  items: values.map((value) => ({ checked: false, ...item(value) })),
});

const workshopDe: NotesBlock[] = [
  labelled('Anlass'),
  labelled('Datum'),
  labelled('Ort/Video'),
  heading(2, 'Teilnehmende'),
  table(['Name', 'Land', 'Organisation'], 3),
  heading(2, 'Tagesordnung'),
  ordered(['Begrüßung und Ziele', 'Stand der Arbeiten', 'Verschiedenes']),
  heading(2, 'Ergebnisse'),
  paragraph(''),
  heading(2, 'Maßnahmen'),
  table(['Maßnahme', 'Verantwortlich', 'Land', 'Fällig am'], 2),
  heading(2, 'Nächster Termin'),
  paragraph(''),
];

const workshopEn: NotesBlock[] = [
  labelled('Occasion'),
  labelled('Date'),
  labelled('Place/video'),
  heading(2, 'Participants'),
  table(['Name', 'Land', 'Organisation'], 3),
  heading(2, 'Agenda'),
  ordered(['Welcome and goals', 'State of work', 'Any other business']),
  heading(2, 'Results'),
  paragraph(''),
  heading(2, 'Actions'),
  table(['Action', 'Owner', 'Land', 'Due'], 2),
  heading(2, 'Next meeting'),
  paragraph(''),
];

const steeringDe: NotesBlock[] = [
  labelled('Sitzung des Lenkungskreises am'),
  labelled('Ort/Video'),
  labelled('Vorsitz'),
  heading(2, 'Teilnehmende'),
  table(['Name', 'Land', 'Organisation'], 4),
  heading(2, 'Tagesordnung'),
  ordered([
    'Genehmigung der Tagesordnung und des letzten Protokolls',
    'Berichte aus den Arbeitsgruppen',
    'Beschlüsse',
    'Verschiedenes',
  ]),
  heading(2, 'Beschlüsse'),
  tasks(['Beschluss 1']),
  heading(2, 'Nächste Sitzung'),
  paragraph(''),
];

const steeringEn: NotesBlock[] = [
  labelled('Steering committee meeting on'),
  labelled('Place/video'),
  labelled('Chair'),
  heading(2, 'Participants'),
  table(['Name', 'Land', 'Organisation'], 4),
  heading(2, 'Agenda'),
  ordered([
    'Adoption of the agenda and of the last minutes',
    'Reports of the working groups',
    'Decisions',
    'Any other business',
  ]),
  heading(2, 'Decisions'),
  tasks(['Decision 1']),
  heading(2, 'Next meeting'),
  paragraph(''),
];

const notes = (id: string, name: string, blocks: NotesBlock[]): Template => ({
  id,
  name,
  kind: 'notes',
  scope: 'builtin',
  fill: (doc) => writeNotesTree(doc, blocks),
});

const roadmap = (id: string, name: string): Template => ({
  id,
  name,
  kind: 'roadmap',
  scope: 'builtin',
  fill: (doc) => roadmapOf(doc).initialise(),
});

// An action list's statuses (offen, in Bearbeitung, erledigt, blockiert) are part of its shape;
// the template starts it empty, ready for a protocol's actions.
const actions = (id: string, name: string): Template => ({
  id,
  name,
  kind: 'actions',
  scope: 'builtin',
  fill: () => {},
});

/** Every built-in template, German first. */
export const builtInTemplates: readonly Template[] = [
  notes('builtin:workshop-protocol:de', 'Workshop-Protokoll', workshopDe),
  notes('builtin:steering-committee:de', 'Sitzung des Lenkungskreises', steeringDe),
  roadmap('builtin:roadmap:de', 'Themen-Roadmap mit den fünf Handlungsfeldern'),
  actions('builtin:actions:de', 'Maßnahmenliste'),
  notes('builtin:workshop-protocol:en', 'Workshop minutes', workshopEn),
  notes('builtin:steering-committee:en', 'Steering committee meeting', steeringEn),
  roadmap('builtin:roadmap:en', 'Theme roadmap with the five fields'),
  actions('builtin:actions:en', 'Action list'),
];

/** The built-in template with `id`, or undefined. */
export function findBuiltInTemplate(id: string): Template | undefined {
  return builtInTemplates.find((template) => template.id === id);
}
