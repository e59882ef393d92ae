import * as Y from 'yjs';
import { compareCodeUnits, type FieldIssue, fieldReader, isIsoDate, mapEntries, newId } from './fields.ts';
import { type FieldLimit, fieldLimits } from './limits.ts';
import { editableText, itemText, setText } from './text.ts';

/**
 * An action list in one Y.Doc: `items`, a Y.Map from id to a Y.Map of fields (see roadmap.ts for
 * why one map per item). A link to a roadmap milestone is an id; when that milestone is deleted
 * the action stays valid and the link reads as removed.
 */

export const actionStatuses = ['open', 'in_progress', 'done', 'blocked'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export interface ActionItem {
  id: string;
  title: string;
  /** User id of the owner (a room member), or null. */
  ownerId: string | null;
  /** Land or organisation code (SH, MV, DATAPORT, ...), or null. */
  organization: string | null;
  due: string | null;
  status: ActionStatus;
  /** The roadmap document and milestone this action serves, if any. */
  roadmapId: string | null;
  milestoneId: string | null;
  createdAt: string;
  doneAt: string | null;
  order: number;
  issues: FieldIssue[];
}

export type ActionChanges = Partial<
  Pick<ActionItem, 'title' | 'ownerId' | 'organization' | 'due' | 'status' | 'roadmapId' | 'milestoneId' | 'order'>
>;

/** How an action's milestone link reads against the milestones that exist now. */
export type LinkState = 'none' | 'linked' | 'removed';

function readItem(id: string, map: Y.Map<unknown>): ActionItem {
  const read = fieldReader(map);
  return {
    id,
    title: read.string('title', 'title'),
    ownerId: read.optionalString('owner', 'id'),
    organization: read.optionalString('organization', 'code'),
    due: read.date('due'),
    status: read.oneOf('status', actionStatuses, 'open'),
    roadmapId: read.optionalString('roadmap', 'id'),
    milestoneId: read.optionalString('milestone', 'id'),
    createdAt: read.string('createdAt', 'timestamp'),
    doneAt: read.optionalString('doneAt', 'timestamp'),
    order: read.number('order'),
    issues: read.issues,
  };
}

const keys: Record<keyof ActionChanges, string> = {
  title: 'title',
  ownerId: 'owner',
  organization: 'organization',
  due: 'due',
  status: 'status',
  roadmapId: 'roadmap',
  milestoneId: 'milestone',
  order: 'order',
};

/** The limit of each string field of an action. */
const limits: Partial<Record<keyof ActionChanges, FieldLimit>> = {
  title: 'title',
  ownerId: 'id',
  organization: 'code',
  roadmapId: 'id',
  milestoneId: 'id',
};

/** Refuses what no reader could take: an impossible date, a value over its limit. */
function checkChanges(changes: ActionChanges): void {
  if (changes.due != null && !isIsoDate(changes.due)) throw new RangeError('due must be a date (YYYY-MM-DD)');
  for (const [key, limit] of Object.entries(limits) as [keyof ActionChanges, FieldLimit][]) {
    const value = changes[key];
    if (typeof value === 'string' && value.length > fieldLimits[limit])
      throw new RangeError(`${key} is longer than ${fieldLimits[limit]} characters`);
  }
}

function writeItem(map: Y.Map<unknown>, changes: ActionChanges, now: () => Date) {
  checkChanges(changes);
  for (const [key, value] of Object.entries(changes) as [keyof ActionChanges, unknown][]) {
    if (value === undefined) continue;
    // The title is collaborative text: changed where it differs, so others' typing stays.
    if (key === 'title') setText(editableText(map, 'title'), value as string);
    else map.set(keys[key], value);
  }
  if (changes.status === 'done' && !map.get('doneAt')) map.set('doneAt', now().toISOString());
  if (changes.status !== undefined && changes.status !== 'done') map.delete('doneAt');
}

/** Typed access to the action list in `doc`. */
export function actionListOf(doc: Y.Doc, now: () => Date = () => new Date()) {
  const items = doc.getMap<unknown>('items');
  return {
    items: (): ActionItem[] =>
      mapEntries(items)
        .map(([id, map]) => readItem(id, map))
        .sort((a, b) => a.order - b.order || compareCodeUnits(a.createdAt, b.createdAt)),
    item(id: string): ActionItem | undefined {
      const map = items.get(id);
      return map instanceof Y.Map ? readItem(id, map as Y.Map<unknown>) : undefined;
    },
    addItem(values: { title: string } & ActionChanges): string {
      const id = newId();
      const order =
        values.order ?? Math.max(0, ...mapEntries(items).map(([itemId, map]) => readItem(itemId, map).order)) + 1;
      doc.transact(() => {
        const map = new Y.Map<unknown>();
        items.set(id, map);
        map.set('createdAt', now().toISOString());
        writeItem(
          map,
          {
            status: 'open',
            ownerId: null,
            organization: null,
            due: null,
            roadmapId: null,
            milestoneId: null,
            ...values,
            order,
          },
          now,
        );
      });
      return id;
    },
    /** Sets only the given fields; marking done records when. */
    updateItem(id: string, changes: ActionChanges) {
      const map = items.get(id);
      if (!(map instanceof Y.Map)) return;
      doc.transact(() => writeItem(map as Y.Map<unknown>, changes, now));
    },
    removeItem: (id: string) => doc.transact(() => items.delete(id)),
    /**
     * The collaborative text of an item's title, for an input bound to it; converts an old
     * plain string on the way (see text.ts), so call it when a person edits; with `convert`
     * false, null for an old string instead.
     */
    text(id: string, field: 'title', convert = true): Y.Text | null {
      return itemText(doc, items.get(id), field, convert);
    },
    observe(listener: () => void) {
      items.observeDeep(listener);
      return () => items.unobserveDeep(listener);
    },
  };
}

/** Whether an action's milestone link points at a milestone that still exists. */
export function linkState(item: Pick<ActionItem, 'milestoneId'>, milestoneIds: ReadonlySet<string>): LinkState {
  if (!item.milestoneId) return 'none';
  return milestoneIds.has(item.milestoneId) ? 'linked' : 'removed';
}

/** Whether an open action is past its due date on `today` (YYYY-MM-DD). */
export function isOverdue(item: Pick<ActionItem, 'due' | 'status'>, today: string): boolean {
  return item.due !== null && item.status !== 'done' && item.due < today;
}

export type ActionList = ReturnType<typeof actionListOf>;
