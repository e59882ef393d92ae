import * as Y from 'yjs';
import type { DocumentKind } from '../roles.ts';
import { describeActions, describeRoadmap, diffActionLists, diffRoadmaps } from './compare-lists.ts';
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
  return diffReadings(readingOf(kind, before), readingOf(kind, after));
}

/**
 * What a comparison of `kind` reads of a document, as plain values: a version's reading never
 * changes, so a server may keep it and compare it again without decoding the version's state.
 */
export function readingOf(kind: DocumentKind, doc: Y.Doc) {
  switch (kind) {
    case 'notes':
      return { kind, text: notesText(doc) } as const;
    case 'roadmap':
      return { kind, roadmap: describeRoadmap(doc) } as const;
    case 'actions':
      return { kind, actions: describeActions(doc) } as const;
  }
}

/** What {@link readingOf} answers. */
export type Reading = ReturnType<typeof readingOf>;

/** The reading of a stored state (one Yjs update). */
export function readingOfState(kind: DocumentKind, state: Uint8Array): Reading {
  const doc = docOf(state);
  try {
    return readingOf(kind, doc);
  } finally {
    doc.destroy();
  }
}

/** What changed from one reading to another of the same kind. */
export function diffReadings(a: Reading, b: Reading): Changes {
  if (a.kind === 'notes' && b.kind === 'notes') return compareText(a.text, b.text);
  if (a.kind === 'roadmap' && b.kind === 'roadmap') return diffRoadmaps(a.roadmap, b.roadmap);
  if (a.kind === 'actions' && b.kind === 'actions') return diffActionLists(a.actions, b.actions);
  throw new Error('Readings of different kinds cannot be compared.');
}

/** {@link compareDocs} on two stored states (Yjs updates). */
export function compareStates(kind: DocumentKind, before: Uint8Array, after: Uint8Array): Changes {
  return diffReadings(readingOfState(kind, before), readingOfState(kind, after));
}
