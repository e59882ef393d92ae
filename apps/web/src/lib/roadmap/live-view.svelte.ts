import { onMount } from 'svelte';
import * as Y from 'yjs';
import type { RoomRole } from '#lib/api/types.ts';
import { type CollabSession, openSession } from '#lib/editor/collab-session.svelte.ts';
import { canWrite, type EditorUser } from '#lib/editor/document-meta.ts';
import { followSessionEnd } from '#lib/editor/session-end.ts';
import { browser } from '$app/env';
import { RelatedDocuments } from './related-documents.svelte.ts';
import { loadRoomDirectory, type RoomDirectory } from './room-directory.ts';

/** A view's first state from the server: the committed content and the room's directory. */
export interface FirstState {
  /** The document as one Yjs update. */
  state: Uint8Array;
  directory: RoomDirectory;
}

/** The props of a roadmap view and of an action list view. */
export interface LiveViewProps {
  documentId: string;
  /** The room of the document: its members own milestones and actions, its other lists are linked. */
  roomId: string;
  role: RoomRole | null;
  user: EditorUser | null;
  /** The server deleted the document (close code 4404). */
  ondeleted: () => void;
  /** Given when the server rendered the view: the browser starts from the same state. */
  first?: FirstState | null;
  /**
   * A stored version to show read-only instead of the live document: no session is opened and
   * the view offers no edits (see VersionView).
   */
  frozen?: Y.Doc | null;
}

/**
 * What a roadmap view and an action list view share: the document's session, the view's store
 * over it, the room's lists of the other kind (`related`: action lists for a roadmap, roadmaps
 * for an action list) and the room's members. Construct it while the component initialises:
 * in the browser the session opens at once, so the first render (or the hydration of the view the
 * server rendered from `first`) shows its content; everything closes when the view unmounts. An
 * end of the session by the server (expired, revoked, deleted) is followed as in the notes editor.
 */
export class LiveView<Store extends { destroy(): void }> {
  /** The role decides once per page view; a later change arrives as a close code (4403). */
  readonly writable: boolean;
  session = $state.raw<CollabSession | null>(null);
  store = $state.raw<Store | null>(null);
  related = $state.raw<RelatedDocuments | null>(null);
  directory = $state.raw<RoomDirectory>({ members: [], organizationCodes: [] });
  /** False until the view runs in the browser: a view rendered on the server is inert until then. */
  mounted = $state(false);

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
    createStore: (doc: Y.Doc, session: CollabSession | null, ownUserId: string | undefined) => Store,
  ) {
    const { documentId, roomId, user, ondeleted, first, frozen } = props;
    // The server enforces the same rule.
    this.writable = !frozen && canWrite(props.role);
    if (first) this.directory = first.directory;
    if (frozen) {
      this.#showFrozen(frozen, roomId, relatedKind, documentId, createStore);
      return;
    }
    if (browser) {
      const current = openSession(documentId, user, this.writable, first?.state);
      this.session = current;
      this.store = createStore(current.doc, current, user?.id);
    } else if (first) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, first.state);
      this.store = createStore(doc, null, user?.id);
    }
    onMount(() => {
      const current = this.session!;
      this.mounted = true;
      this.related = new RelatedDocuments(roomId, relatedKind, documentId, current);
      // The server rendered the view with the directory just now; otherwise it is asked for here.
      if (!first) void loadRoomDirectory(roomId).then((loaded) => (this.directory = loaded));
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

  /** A stored version: its store never changes; the room's members and lists are the live ones. */
  #showFrozen(
    doc: Y.Doc,
    roomId: string,
    relatedKind: 'roadmap' | 'actions',
    documentId: string,
    createStore: (doc: Y.Doc, session: CollabSession | null, ownUserId: string | undefined) => Store,
  ): void {
    this.store = createStore(doc, null, undefined);
    onMount(() => {
      this.mounted = true;
      this.related = new RelatedDocuments(roomId, relatedKind, documentId, null);
      void loadRoomDirectory(roomId).then((loaded) => (this.directory = loaded));
      return () => {
        this.related?.destroy();
        this.store?.destroy();
      };
    });
  }
}
