import type * as Y from 'yjs';
import type { DocumentKind } from '../roles.ts';
import { actionListOf } from '../shapes/actions.ts';
import { roadmapOf } from '../shapes/roadmap.ts';
import { type NotesTextCache, type Passage, sharedNotesPassages } from './notes-passages.ts';

/** What search finds; `protocol`, `roadmap` and `action_list` are whole documents. */
export const searchKinds = [
  'protocol',
  'roadmap',
  'action_list',
  'milestone',
  'action',
  'comment',
  'decision',
] as const;
export type SearchKind = (typeof searchKinds)[number];

/** The kinds read from a document's content (see `contentEntries`); the others the database keeps. */
export const contentSearchKinds: readonly SearchKind[] = ['protocol', 'roadmap', 'action_list', 'milestone', 'action'];

/** The entry kind of a document itself. */
export const documentSearchKind: Record<DocumentKind, SearchKind> = {
  notes: 'protocol',
  roadmap: 'roadmap',
  actions: 'action_list',
};

/**
 * One findable thing inside a document: the document's own text (`itemId` null; its title comes
 * from the document row) or one milestone or action.
 */
export interface ContentEntry {
  kind: SearchKind;
  itemId: string | null;
  title: string;
  body: string;
  organization: string | null;
}

/** Looks up a person's display name for an action's owner (null when unknown). */
export type NameOf = (userId: string) => string | null;

/**
 * Everything searchable in a document's content, read through the shapes' typed accessors, so a
 * new kind of content is one more case here. A protocol's text is in passages (entries of kind
 * `protocol` with an item id); milestones and actions are entries of their own, so a result opens
 * at the item. The document's own entry (item id null) is its title, written by the database.
 * A protocol's blocks are read through `notesCache` when given (see NotesTextCache).
 */
export function contentEntries(
  kind: DocumentKind,
  doc: Y.Doc,
  nameOf: NameOf,
  notesCache?: NotesTextCache,
): ContentEntry[] {
  if (kind === 'notes') {
    const passages = sharedNotesPassages(doc, notesCache);
    const entries: ContentEntry[] = [{ kind: 'protocol', itemId: null, title: '', body: '', organization: null }];
    for (const passage of passages) entries.push(notesCache ? protocolEntry(passage) : passageEntry(passage));
    return entries;
  }
  if (kind === 'roadmap') {
    const roadmap = roadmapOf(doc);
    const themes = new Map(roadmap.themes().map((theme) => [theme.id, theme.name]));
    return [
      // The fields are the same in every roadmap: they are found through the milestones in them.
      { kind: 'roadmap', itemId: null, title: '', body: '', organization: null },
      ...roadmap.milestones().map((milestone) => ({
        kind: 'milestone' as const,
        itemId: milestone.id,
        title: milestone.title,
        body: [milestone.description, themes.get(milestone.themeId), milestone.lead, ...milestone.owners]
          .filter(Boolean)
          .join('\n'),
        organization: milestone.lead || null,
      })),
    ];
  }
  const items = actionListOf(doc).items();
  return [
    { kind: 'action_list', itemId: null, title: '', body: '', organization: null },
    ...items.map((item) => ({
      kind: 'action' as const,
      itemId: item.id,
      title: item.title,
      body: [item.ownerId ? nameOf(item.ownerId) : null, item.organization].filter(Boolean).join('\n'),
      organization: item.organization,
    })),
  ];
}

const passageEntry = ({ itemId, body }: Passage): ContentEntry => ({
  kind: 'protocol',
  itemId,
  title: '',
  body,
  organization: null,
});

/**
 * The entry of each passage a {@link NotesTextCache} laid out, made once per passage: a reading of a
 * 5 MB protocol made an entry for each of its thousands of passages, of which typing changed a few.
 */
const protocolEntries = new WeakMap<Passage, ContentEntry>();

function protocolEntry(passage: Passage): ContentEntry {
  let entry = protocolEntries.get(passage);
  if (!entry) {
    entry = passageEntry(passage);
    protocolEntries.set(passage, entry);
  }
  return entry;
}
