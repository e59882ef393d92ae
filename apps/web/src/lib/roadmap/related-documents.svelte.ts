import type * as Y from 'yjs';
import { call, client } from '#lib/api/client.ts';
import { CollabSession } from '#lib/editor/collab-session.svelte.ts';
import { whenIdle } from '#lib/idle.ts';

/** One other document of the room, opened read-only. */
export interface RelatedDocument {
  id: string;
  title: string;
  session: CollabSession;
}

/** At most this many lists are followed at once; a room rarely has more. */
const LIMIT = 12;

/**
 * The other roadmaps or action lists of a room, each opened read-only through its own
 * CollabSession (no presence is sent), so a view can show what they hold and follow their
 * changes live: open actions per milestone on a roadmap, milestones to link on an action list.
 */
export class RelatedDocuments {
  documents = $state.raw<RelatedDocument[]>([]);
  /** Bumped on every change in any of the documents; read it to recompute. */
  version = $state(0);

  #observed: { doc: Y.Doc; listener: () => void }[] = [];
  #destroyed = false;
  #cancelWait: () => void;

  /**
   * `except` is the document on screen, whose `session` goes first: the others start loading
   * once its content is there and the browser is idle, so they never compete with the first
   * render of the view (an action list of a thousand items is a large download of its own).
   * Without a session (a stored version on screen) they start once the browser is idle.
   */
  constructor(roomId: string, kind: 'roadmap' | 'actions', except: string, session: CollabSession | null) {
    const start = () => void this.#load(roomId, kind, except);
    this.#cancelWait = session ? afterContent(session, start) : whenIdle(start, 1_000);
  }

  /** Whether a document's content is known: synced with the server, or the local copy offline. */
  isKnown(document: RelatedDocument): boolean {
    void this.version;
    // Offline, the IndexedDB copy is the best there is (its flag is not reactive: `version` is).
    return document.session.synced || (!document.session.online && document.session.persistence.synced);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#cancelWait();
    for (const { doc, listener } of this.#observed) doc.off('update', listener);
    for (const document of this.documents) document.session.destroy();
    this.documents = [];
  }

  async #load(roomId: string, kind: 'roadmap' | 'actions', except: string): Promise<void> {
    let listed: { id: string; title: string; kind: string; archived: boolean }[];
    try {
      listed = (await call(client.GET('/rooms/{roomId}/documents', { params: { path: { roomId } } }))).documents;
    } catch {
      // Offline or no access to the list: the view simply shows no related figures.
      return;
    }
    if (this.#destroyed) return;
    const wanted = listed
      .filter((entry) => entry.kind === kind && !entry.archived && entry.id !== except)
      .slice(0, LIMIT);
    this.documents = wanted.map((entry) => {
      const session = new CollabSession(entry.id, null, false);
      const listener = () => {
        this.version += 1;
      };
      session.doc.on('update', listener);
      this.#observed.push({ doc: session.doc, listener });
      return { id: entry.id, title: entry.title, session };
    });
  }
}

/** Longest wait for the session's content before the related documents start anyway. */
const waitLimitMs = 3_000;

/**
 * Calls `start` once, when the session is synced with the server (or, offline, has its local
 * copy) and then the browser is idle; at the latest after `waitLimitMs`. Returns a cancel.
 */
function afterContent(session: CollabSession, start: () => void): () => void {
  let done = false;
  let cancelIdle: (() => void) | undefined;
  const go = () => {
    if (done || cancelIdle) return;
    cancelIdle = whenIdle(() => {
      if (done) return;
      done = true;
      cleanup();
      start();
    }, 1_000);
  };
  const onSync = (synced: boolean) => {
    if (synced) go();
  };
  const limit = setTimeout(go, waitLimitMs);
  const cleanup = () => {
    clearTimeout(limit);
    session.provider.off('sync', onSync);
  };
  session.provider.on('sync', onSync);
  if (session.synced) go();
  void session.persistence.whenSynced.then(() => {
    if (!session.online) go();
  });
  return () => {
    done = true;
    cleanup();
    cancelIdle?.();
  };
}
