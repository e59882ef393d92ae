import * as Y from 'yjs';
import { actionListOf } from '../shapes/actions.ts';

/**
 * Documents the server writes for meetings: the first state of a meeting's minutes, and the
 * follow-up actions of a decision as an edit of an action list.
 */

/** What the minutes start from. */
export interface MinutesOutline {
  /** One line above the agenda: when, where, who. */
  preamble: string;
  agenda: { title: string }[];
}

function block(name: string, text: string, attributes: Record<string, number> = {}) {
  const element = new Y.XmlElement(name);
  // TipTap's heading reads `level` as a number.
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as unknown as string);
  if (text) element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/**
 * The minutes of a meeting as one Yjs update of a notes document: the preamble, then one
 * heading per agenda item ("TOP 1: ...") with an empty paragraph under it to write in.
 */
export function minutesState(outline: MinutesOutline): Uint8Array {
  const doc = new Y.Doc();
  const blocks: Y.XmlElement[] = [block('paragraph', outline.preamble)];
  outline.agenda.forEach((item, index) => {
    blocks.push(block('heading', `TOP ${index + 1}: ${item.title}`, { level: 2 }), block('paragraph', ''));
  });
  doc.getXmlFragment('default').insert(0, blocks);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** The headings of a notes document, in order (for tests and for linking agenda items). */
export function noteHeadings(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'heading')
    .map((node) =>
      node
        .toArray()
        .map((child) => (child instanceof Y.XmlText ? child.toString() : ''))
        .join(''),
    );
}

/** A follow-up action to add to a list. */
export interface FollowUp {
  title: string;
  ownerId?: string | null;
  organization?: string | null;
  due?: string | null;
}

/**
 * The edit that adds `items` to the action list `live`, made on a copy (`live` is not changed),
 * with the new items' ids in order. The copy has its own client id, so the edit merges with
 * whatever else is written meanwhile.
 */
export function followUpUpdate(live: Y.Doc, items: FollowUp[]): { update: Uint8Array; itemIds: string[] } {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    const before = Y.encodeStateVector(copy);
    const list = actionListOf(copy);
    const itemIds = items.map((item) =>
      list.addItem({
        title: item.title,
        ownerId: item.ownerId ?? null,
        organization: item.organization ?? null,
        due: item.due ?? null,
      }),
    );
    return { update: Y.encodeStateAsUpdate(copy, before), itemIds };
  } finally {
    copy.destroy();
  }
}
