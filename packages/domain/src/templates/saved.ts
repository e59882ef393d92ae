import * as Y from 'yjs';
import type { DocumentKind } from '../roles.ts';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';

/**
 * What a saved template keeps of the document it is saved from. A template is the start of new
 * work, often in another room: its structure and words are what people reuse, not who did what
 * or how far it got. So the people (action owners, milestone owners: user ids of the source's
 * room) and the progress (statuses, when an action was done) are reset; titles, dates,
 * organisations, themes and the order stay. Notes keep everything (their content is words).
 */
export function templateStart(kind: DocumentKind, state: Uint8Array): Uint8Array {
  if (kind === 'notes') return state;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  doc.transact(() => {
    if (kind === 'actions') {
      const actions = actionListOf(doc);
      for (const { id } of actions.items()) actions.updateItem(id, { ownerId: null, status: 'open' });
    } else {
      const roadmap = roadmapOf(doc);
      for (const { id } of roadmap.milestones()) roadmap.updateMilestone(id, { owners: [], status: 'planned' });
    }
  });
  return Y.encodeStateAsUpdate(doc);
}
