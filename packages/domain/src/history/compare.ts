import * as Y from 'yjs';
import type { DocumentKind } from '../roles.ts';
import { compareActionLists, compareRoadmaps } from './compare-lists.ts';
import { compareText } from './compare-notes.ts';
import { notesText } from './render.ts';
import type { Changes } from './schemas.ts';

/** A Y.Doc holding `state` (one Yjs update), for reading. */
export function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** What changed between two states of a document of `kind`, as people read it. */
export function compareDocs(kind: DocumentKind, before: Y.Doc, after: Y.Doc): Changes {
  switch (kind) {
    case 'notes':
      return compareText(notesText(before), notesText(after));
    case 'roadmap':
      return compareRoadmaps(before, after);
    case 'actions':
      return compareActionLists(before, after);
  }
}

/** {@link compareDocs} on two stored states (Yjs updates). */
export function compareStates(kind: DocumentKind, before: Uint8Array, after: Uint8Array): Changes {
  const [a, b] = [docOf(before), docOf(after)];
  try {
    return compareDocs(kind, a, b);
  } finally {
    a.destroy();
    b.destroy();
  }
}
