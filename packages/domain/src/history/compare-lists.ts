import type * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import type { ChangeAspect, Changes, FieldChange, ItemChange } from './schemas.ts';

/**
 * Compares roadmaps and action lists item by item (by id, through the typed accessors of
 * ../shapes, so every reader sees the same fields): added, removed, and changed with each field's
 * old and new value. Only items that differ are listed.
 */

type Fields = Record<string, string | null>;

interface Described {
  id: string;
  title: string;
  fields: Fields;
}

/** Which aspect a changed field belongs to; unlisted fields are `content`. */
type AspectOf = Partial<Record<string, ChangeAspect>>;

const milestoneAspects: AspectOf = {
  start: 'moved',
  end: 'moved',
  status: 'status',
  lead: 'reassigned',
  owners: 'reassigned',
};
const actionAspects: AspectOf = { owner: 'reassigned', organization: 'reassigned', due: 'redated', status: 'status' };

const orNull = (value: string | null | undefined) => (value === undefined || value === '' ? null : value);

function diffItems(kind: ItemChange['kind'], before: Described[], after: Described[], aspectOf: AspectOf) {
  const old = new Map(before.map((item) => [item.id, item]));
  const items: ItemChange[] = [];
  for (const item of after) {
    const previous = old.get(item.id);
    old.delete(item.id);
    if (!previous) {
      items.push({ kind, id: item.id, title: item.title, change: 'added', aspects: [], fields: [] });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const field of Object.keys(item.fields)) {
      const was = previous.fields[field] ?? null;
      const now = item.fields[field] ?? null;
      if (was !== now) fields.push({ field, before: was, after: now });
    }
    if (fields.length === 0) continue;
    const aspects = [...new Set(fields.map((field) => aspectOf[field.field] ?? 'content'))];
    items.push({ kind, id: item.id, title: item.title, change: 'changed', aspects, fields });
  }
  for (const item of old.values())
    items.push({ kind, id: item.id, title: item.title, change: 'removed', aspects: [], fields: [] });
  return items;
}

/** What a roadmap comparison reads of a document: its themes and milestones as plain values. */
export function describeRoadmap(doc: Y.Doc) {
  const roadmap = roadmapOf(doc);
  const themes = roadmap.themes();
  const themeName = new Map(themes.map((theme) => [theme.id, theme.name]));
  return {
    themes: themes.map((theme) => ({
      id: theme.id,
      title: theme.name,
      fields: { name: theme.name, colour: theme.colour },
    })),
    milestones: roadmap.milestones().map((milestone) => ({
      id: milestone.id,
      title: milestone.title,
      fields: {
        title: milestone.title,
        theme: orNull(themeName.get(milestone.themeId) ?? milestone.themeId),
        description: orNull(milestone.description),
        start: milestone.start,
        end: milestone.end,
        status: milestone.status,
        lead: orNull(milestone.lead),
        owners: orNull(milestone.owners.join(', ')),
      },
    })),
  };
}

/** What an action list comparison reads of a document: its actions as plain values. */
export function describeActions(doc: Y.Doc): Described[] {
  return actionListOf(doc)
    .items()
    .map((item) => ({
      id: item.id,
      title: item.title,
      fields: {
        title: item.title,
        owner: item.ownerId,
        organization: item.organization,
        due: item.due,
        status: item.status,
        milestone: item.milestoneId,
      },
    }));
}

function summarise(items: ItemChange[]): Changes {
  const count = (change: ItemChange['change']) => items.filter((item) => item.change === change).length;
  return { summary: { added: count('added'), removed: count('removed'), changed: count('changed') }, items };
}

type RoadmapReading = ReturnType<typeof describeRoadmap>;

/** What changed between two roadmap readings: themes first, then milestones by date. */
export function diffRoadmaps(a: RoadmapReading, b: RoadmapReading): Changes {
  const byStart = (x: Described, y: Described) =>
    (x.fields.start ?? '9999').localeCompare(y.fields.start ?? '9999') || x.title.localeCompare(y.title);
  return summarise([
    ...diffItems('theme', a.themes, b.themes, {}),
    ...diffItems('milestone', [...a.milestones].sort(byStart), [...b.milestones].sort(byStart), milestoneAspects),
  ]);
}

/** What changed between two action list readings, in the list's order. */
export function diffActionLists(a: Described[], b: Described[]): Changes {
  return summarise(diffItems('action', a, b, actionAspects));
}

/** What changed in a roadmap from `before` to `after`: themes first, then milestones by date. */
export function compareRoadmaps(before: Y.Doc, after: Y.Doc): Changes {
  return diffRoadmaps(describeRoadmap(before), describeRoadmap(after));
}

/** What changed in an action list from `before` to `after`, in the list's order. */
export function compareActionLists(before: Y.Doc, after: Y.Doc): Changes {
  return diffActionLists(describeActions(before), describeActions(after));
}
