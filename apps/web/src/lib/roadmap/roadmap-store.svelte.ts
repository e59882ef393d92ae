import { type Milestone, type Roadmap, roadmapOf, type Theme } from '@nordraum/domain';
import type { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { type ItemEditor, reconcile, setEditing, watchEditors } from './reconcile.ts';

/** The roadmap of one open session as reactive lists, plus who else edits which milestone. */
export class RoadmapStore {
  readonly roadmap: Roadmap;
  themes = $state.raw<Theme[]>([]);
  milestones = $state.raw<Milestone[]>([]);
  /** Milestone id → other people editing it now. */
  editors = $state.raw<Map<string, ItemEditor[]>>(new Map());

  readonly #session: CollabSession;
  readonly #cleanups: (() => void)[] = [];

  constructor(session: CollabSession, ownUserId: string | undefined) {
    this.#session = session;
    this.roadmap = roadmapOf(session.doc);
    this.#read();
    this.#cleanups.push(this.roadmap.observe(() => this.#read()));
    this.#cleanups.push(
      watchEditors(session, ownUserId, (editors) => {
        this.editors = editors;
      }),
    );
  }

  /** Announces that this tab edits `milestoneId` (or nothing). */
  editing(milestoneId: string | null): void {
    setEditing(this.#session, milestoneId);
  }

  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
  }

  #read(): void {
    this.themes = reconcile(this.themes, this.roadmap.themes());
    this.milestones = reconcile(this.milestones, this.roadmap.milestones());
  }
}
