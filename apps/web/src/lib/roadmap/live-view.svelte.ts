import { onMount } from 'svelte';
import type { RoomRole } from '#lib/api/types.ts';
import { type CollabSession, openSession } from '#lib/editor/collab-session.svelte.ts';
import { canWrite, type EditorUser } from '#lib/editor/document-meta.ts';
import { followSessionEnd } from '#lib/editor/session-end.ts';
import { RelatedDocuments } from './related-documents.svelte.ts';
import { loadRoomDirectory, type RoomDirectory } from './room-directory.ts';

/** The props of a roadmap view and of an action list view. */
export interface LiveViewProps {
  documentId: string;
  /** The room of the document: its members own milestones and actions, its other lists are linked. */
  roomId: string;
  role: RoomRole | null;
  user: EditorUser | null;
  /** The server deleted the document (close code 4404). */
  ondeleted: () => void;
}

/**
 * What a roadmap view and an action list view share: the document's session, the view's store
 * over it, the room's lists of the other kind (`related`: action lists for a roadmap, roadmaps
 * for an action list) and the room's members. Construct it while the component initialises: the
 * session opens when the view mounts and everything closes when it unmounts; an end of the
 * session by the server (expired, revoked, deleted) is followed as in the notes editor.
 */
export class LiveView<Store extends { destroy(): void }> {
  /** The role decides once per page view; a later change arrives as a close code (4403). */
  readonly writable: boolean;
  session = $state.raw<CollabSession | null>(null);
  store = $state.raw<Store | null>(null);
  related = $state.raw<RelatedDocuments | null>(null);
  directory = $state.raw<RoomDirectory>({ members: [], organizationCodes: [] });

  /** Writable, and the server has neither ended the session nor taken write access away. */
  get editable(): boolean {
    return this.writable && !this.session?.closeReason && !this.session?.demoted;
  }

  /**
   * Whether an edit made now is kept. While editable, of course; and once the session expired
   * too: the controls go, but what was being typed in them is committed as they go, into the
   * local copy, which reaches the others after signing in again (as typed notes do). Not after
   * access was revoked or lowered: the server would refuse it.
   */
  get keepsEdits(): boolean {
    const reason = this.session?.closeReason ?? null;
    return this.writable && !this.session?.demoted && (reason === null || reason === 'expired');
  }

  constructor(
    props: LiveViewProps,
    relatedKind: 'roadmap' | 'actions',
    createStore: (session: CollabSession, ownUserId: string | undefined) => Store,
  ) {
    const { documentId, roomId, user, ondeleted } = props;
    // The server enforces the same rule.
    this.writable = canWrite(props.role);
    onMount(() => {
      const current = openSession(documentId, user, this.writable);
      this.session = current;
      this.store = createStore(current, user?.id);
      this.related = new RelatedDocuments(roomId, relatedKind, documentId, current);
      void loadRoomDirectory(roomId).then((loaded) => (this.directory = loaded));
      return () => {
        this.related?.destroy();
        this.store?.destroy();
        current.destroy();
      };
    });
    $effect(() => {
      const { session } = this;
      const reason = session?.closeReason;
      if (session && reason) void followSessionEnd(session, reason, documentId, ondeleted);
    });
  }
}
