import { type Milestone, type Roadmap, roadmapOf, type Theme } from '@nordraum/domain';
import type * as Y from 'yjs';
import type { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { type ItemEditor, reconcile, setEditing, watchEditors } from './reconcile.ts';

/**
 * The roadmap of a document as reactive lists, plus who else edits which milestone. Over an open
 * session's document; over a plain one (`session` null) when the server renders the first view.
 */
export class RoadmapStore {
  readonly roadmap: Roadmap;
  themes = $state.raw<Theme[]>([]);
  milestones = $state.raw<Milestone[]>([]);
  /** Milestone id → other people editing it now. */
  editors = $state.raw<Map<string, ItemEditor[]>>(new Map());

  readonly #session: CollabSession | null;
  readonly #cleanups: (() => void)[] = [];

  constructor(doc: Y.Doc, session: CollabSession | null, ownUserId: string | undefined) {
    this.#session = session;
    this.roadmap = roadmapOf(doc);
    this.#read();
    if (!session) return;
    this.#cleanups.push(this.roadmap.observe(() => this.#read()));
    this.#cleanups.push(
      watchEditors(session, ownUserId, (editors) => {
        this.editors = editors;
      }),
    );
  }

  /** Announces that this tab edits `milestoneId` (or nothing). */
  editing(milestoneId: string | null): void {
    if (this.#session) setEditing(this.#session, milestoneId);
  }

  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
  }

  #read(): void {
    this.themes = reconcile(this.themes, this.roadmap.themes());
    this.milestones = reconcile(this.milestones, this.roadmap.milestones());
  }
}
