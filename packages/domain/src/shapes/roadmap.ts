import * as Y from 'yjs';
import { compareCodeUnits, type FieldIssue, fieldReader, isIsoDate, mapEntries, newId } from './fields.ts';
import { type FieldLimit, fieldLimits } from './limits.ts';
import { editableText, itemText, setText } from './text.ts';

/**
 * A theme roadmap in one Y.Doc: `themes` and `milestones`, each a Y.Map from id to a Y.Map of
 * fields. One Y.Map per item means concurrent edits to different fields of one milestone both
 * survive, and concurrent edits to the same field converge to one value (Yjs keeps the last
 * writer by client order). Fields this version does not know are never touched.
 */

export const milestoneStatuses = ['planned', 'in_progress', 'done', 'at_risk', 'blocked'] as const;
export type MilestoneStatus = (typeof milestoneStatuses)[number];

/** The five fields of the SH–MV agreement; fixed ids, so two clients seeding at once converge. */
export const agreementThemes = [
  { id: 'theme-data-fabric', name: 'Evidenzbasiertes Verwaltungshandeln (Data Fabric)', colour: '#0b5394' },
  { id: 'theme-it-resilienz', name: 'IT-Resilienz', colour: '#a61c00' },
  { id: 'theme-open-source', name: 'Open Source und digitale Souveränität', colour: '#38761d' },
  { id: 'theme-once-only', name: 'Registermodernisierung und Once-Only', colour: '#7f6000' },
  { id: 'theme-ki', name: 'Künstliche Intelligenz', colour: '#674ea7' },
] as const;

export interface Theme {
  id: string;
  name: string;
  colour: string;
  order: number;
  issues: FieldIssue[];
}

export interface Milestone {
  id: string;
  themeId: string;
  title: string;
  description: string;
  start: string | null;
  end: string | null;
  status: MilestoneStatus;
  /** `SH`, `MV`, `joint` or an organisation code. */
  lead: string;
  owners: string[];
  issues: FieldIssue[];
}

/** Changes to a milestone; description is plain text. */
export type MilestoneChanges = Partial<Omit<Milestone, 'id' | 'issues'>>;

function readTheme(id: string, map: Y.Map<unknown>): Theme {
  const read = fieldReader(map);
  return {
    id,
    name: read.string('name', 'themeName'),
    colour: read.string('colour', 'colour', '#555555'),
    order: read.number('order'),
    issues: read.issues,
  };
}

function readMilestone(id: string, map: Y.Map<unknown>): Milestone {
  const read = fieldReader(map);
  const milestone = {
    id,
    themeId: read.string('theme', 'id'),
    title: read.string('title', 'title'),
    description: map.has('description') ? read.string('description', 'description') : '',
    start: read.date('start'),
    end: read.date('end'),
    status: read.oneOf('status', milestoneStatuses, 'planned'),
    lead: read.string('lead', 'code', 'joint'),
    owners: read.stringList('owners', 'id', fieldLimits.owners),
    issues: read.issues,
  };
  if (milestone.start && milestone.end && milestone.end < milestone.start)
    milestone.issues.push({ field: 'end', problem: 'invalid' });
  return milestone;
}

/** The limit of each string field of a milestone. */
const limits: Partial<Record<keyof MilestoneChanges, FieldLimit>> = {
  themeId: 'id',
  title: 'title',
  description: 'description',
  lead: 'code',
};

/** Refuses what no reader could take: an impossible date, a value over its limit. */
function checkChanges(changes: MilestoneChanges): void {
  for (const key of ['start', 'end'] as const) {
    const value = changes[key];
    if (value != null && !isIsoDate(value)) throw new RangeError(`${key} must be a date (YYYY-MM-DD)`);
  }
  for (const [key, limit] of Object.entries(limits) as [keyof MilestoneChanges, FieldLimit][]) {
    const value = changes[key];
    if (typeof value === 'string' && value.length > fieldLimits[limit])
      throw new RangeError(`${key} is longer than ${fieldLimits[limit]} characters`);
  }
  if (changes.owners && changes.owners.length > fieldLimits.owners)
    throw new RangeError(`more than ${fieldLimits.owners} owners`);
}

/** Refuses a theme name or colour over its limit. */
function checkTheme(values: { name?: string; colour?: string }): void {
  if (values.name !== undefined && values.name.length > fieldLimits.themeName)
    throw new RangeError(`name is longer than ${fieldLimits.themeName} characters`);
  if (values.colour !== undefined && values.colour.length > fieldLimits.colour)
    throw new RangeError(`colour is longer than ${fieldLimits.colour} characters`);
}

/** Fields that are collaborative text (see text.ts). */
const textFields = new Set<keyof MilestoneChanges>(['title', 'description']);

function writeMilestone(map: Y.Map<unknown>, changes: MilestoneChanges) {
  checkChanges(changes);
  const keys: Record<keyof MilestoneChanges, string> = {
    themeId: 'theme',
    title: 'title',
    description: 'description',
    start: 'start',
    end: 'end',
    status: 'status',
    lead: 'lead',
    owners: 'owners',
  };
  for (const [key, value] of Object.entries(changes) as [keyof MilestoneChanges, unknown][]) {
    if (value === undefined) continue;
    if (textFields.has(key)) setText(editableText(map, keys[key]), value as string);
    else map.set(keys[key], value);
  }
}

/** Typed access to the roadmap in `doc`; writes happen in one transaction each. */
export function roadmapOf(doc: Y.Doc) {
  const themes = doc.getMap<unknown>('themes');
  const milestones = doc.getMap<unknown>('milestones');
  return {
    /** Seeds the agreement's five themes into an empty roadmap. */
    initialise() {
      if (themes.size > 0) return;
      doc.transact(() => {
        agreementThemes.forEach((theme, order) => {
          const map = new Y.Map<unknown>();
          themes.set(theme.id, map);
          map.set('name', theme.name);
          map.set('colour', theme.colour);
          map.set('order', order);
        });
      });
    },
    themes: (): Theme[] =>
      mapEntries(themes)
        .map(([id, map]) => readTheme(id, map))
        .sort((a, b) => a.order - b.order || compareCodeUnits(a.id, b.id)),
    milestones: (): Milestone[] => mapEntries(milestones).map(([id, map]) => readMilestone(id, map)),
    milestone(id: string): Milestone | undefined {
      const map = milestones.get(id);
      return map instanceof Y.Map ? readMilestone(id, map as Y.Map<unknown>) : undefined;
    },
    addTheme(values: { name: string; colour: string }): string {
      checkTheme(values);
      const id = newId();
      const order = Math.max(-1, ...mapEntries(themes).map(([themeId, map]) => readTheme(themeId, map).order)) + 1;
      doc.transact(() => {
        const map = new Y.Map<unknown>();
        themes.set(id, map);
        map.set('name', values.name);
        map.set('colour', values.colour);
        map.set('order', order);
      });
      return id;
    },
    updateTheme(id: string, changes: Partial<Pick<Theme, 'name' | 'colour' | 'order'>>) {
      const map = themes.get(id);
      if (!(map instanceof Y.Map)) return;
      checkTheme(changes);
      doc.transact(() => {
        for (const [key, value] of Object.entries(changes)) if (value !== undefined) map.set(key, value);
      });
    },
    removeTheme: (id: string) => doc.transact(() => themes.delete(id)),
    addMilestone(values: { themeId: string; title: string } & MilestoneChanges): string {
      const id = newId();
      doc.transact(() => {
        const map = new Y.Map<unknown>();
        milestones.set(id, map);
        writeMilestone(map, {
          status: 'planned',
          lead: 'joint',
          description: '',
          start: null,
          end: null,
          owners: [],
          ...values,
        });
      });
      return id;
    },
    /** Sets only the given fields, so a concurrent change to another field survives. */
    updateMilestone(id: string, changes: MilestoneChanges) {
      const map = milestones.get(id);
      if (!(map instanceof Y.Map)) return;
      doc.transact(() => writeMilestone(map as Y.Map<unknown>, changes));
    },
    removeMilestone: (id: string) => doc.transact(() => milestones.delete(id)),
    /**
     * The collaborative text of a milestone's title or description, for an input bound to it;
     * converts an old plain string on the way (see text.ts), so call it when a person edits;
     * with `convert` false, null for an old string instead.
     */
    text(id: string, field: 'title' | 'description', convert = true): Y.Text | null {
      return itemText(doc, milestones.get(id), field, convert);
    },
    /** Subscribes to every change; returns the unsubscribe function. */
    observe(listener: () => void) {
      themes.observeDeep(listener);
      milestones.observeDeep(listener);
      return () => {
        themes.unobserveDeep(listener);
        milestones.unobserveDeep(listener);
      };
    },
  };
}

export type Roadmap = ReturnType<typeof roadmapOf>;
