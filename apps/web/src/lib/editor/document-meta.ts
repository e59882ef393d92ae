import { ApiError, call, client, NETWORK_ERROR } from '#lib/api/client.ts';
import type { paths } from '#lib/api/schema.d.ts';
import type { RoomRole, User } from '#lib/api/types.ts';
import { forgetKeptPage } from '#lib/offline/service-worker.ts';
import { session } from '#lib/session/session.svelte.ts';
import { METADATA_PREFIX as CACHE_PREFIX } from './local-data.ts';

/** A document's metadata as `GET /api/documents/<id>` returns it. */
export type DocumentMeta =
  paths['/documents/{documentId}']['get']['responses'][200]['content']['application/json']['document'];

/** The part of a room the document page needs; kept small because it is cached offline. */
export interface RoomSummary {
  id: string;
  name: string;
  role: RoomRole | null;
}

/** Who is editing, for the presence bar and the caret; cached so it works offline too. */
export interface EditorUser {
  id: string;
  name: string;
  organization: { code: string; name: string };
}

/** Everything the document page shows above the editor. */
export interface DocumentView {
  document: DocumentMeta;
  room: RoomSummary;
  user: EditorUser | null;
  /** True when the server was unreachable and the last cached copy is shown. */
  fromCache: boolean;
}

export type DocumentLoad =
  | { status: 'ready'; view: DocumentView }
  | { status: 'not-found' }
  | { status: 'forbidden' }
  /** A 401: the API client is already on its way to the login page. */
  | { status: 'redirecting' }
  | { status: 'error'; error: unknown };

/** Roles that may change a document's content; the server enforces the same rule. */
export function canWrite(role: RoomRole | null): boolean {
  return role === 'owner' || role === 'editor';
}

/** Loads document, room and user in parallel; falls back to the cached copy only when the network failed. */
export async function loadDocumentView(documentId: string): Promise<DocumentLoad> {
  try {
    const [{ document, room }, me] = await Promise.all([
      call(client.GET('/documents/{documentId}', { params: { path: { documentId } } })),
      session.ensure().catch(() => session.user),
    ]);
    const view: DocumentView = {
      document,
      room: { id: room.id, name: room.name, role: room.role },
      user: me ? toEditorUser(me) : null,
      fromCache: false,
    };
    writeCache(documentId, view);
    return { status: 'ready', view };
  } catch (error) {
    if (!(error instanceof ApiError)) return { status: 'error', error };
    if (error.code === NETWORK_ERROR) {
      const cached = readCache(documentId);
      return cached ? { status: 'ready', view: { ...cached, fromCache: true } } : { status: 'error', error };
    }
    if (error.status === 401) return { status: 'redirecting' };
    // A malformed id (400) is as unknown as a missing one; 404 also hides rooms one may not see.
    if (error.status === 404 || error.status === 400) {
      forgetDocument(documentId);
      return { status: 'not-found' };
    }
    if (error.status === 403) {
      forgetDocument(documentId);
      return { status: 'forbidden' };
    }
    return { status: 'error', error };
  }
}

/**
 * Drops the cached metadata, and the page the service worker keeps for offline use (it was
 * rendered with the content), e.g. after access was revoked or the document was deleted.
 */
export function forgetDocument(documentId: string): void {
  try {
    localStorage.removeItem(CACHE_PREFIX + documentId);
  } catch {
    // Blocked storage holds nothing to forget.
  }
  void forgetKeptPage(`/documents/${encodeURIComponent(documentId)}`);
}

/** The kind of a document seen before in this browser, from the cached metadata; null if unknown. */
export function knownKind(documentId: string): DocumentMeta['kind'] | null {
  return readCache(documentId)?.document.kind ?? null;
}

/** The part of a user the editors need, also kept offline. */
export function toEditorUser(user: User): EditorUser {
  return {
    id: user.id,
    name: user.name,
    organization: { code: user.organization.code, name: user.organization.name },
  };
}

/** Keeps a document's metadata for opening it offline later. */
export function writeCache(documentId: string, view: Omit<DocumentView, 'fromCache'>): void {
  const { document, room, user } = view;
  try {
    localStorage.setItem(CACHE_PREFIX + documentId, JSON.stringify({ document, room, user }));
  } catch {
    // Full or blocked storage only costs the offline fallback.
  }
}

function readCache(documentId: string): Omit<DocumentView, 'fromCache'> | null {
  try {
    const raw = localStorage.getItem(CACHE_PREFIX + documentId);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Omit<DocumentView, 'fromCache'>;
    // Written by an older build or by hand: better no fallback than a broken page.
    if (parsed?.document?.id !== documentId || typeof parsed.room?.name !== 'string') return null;
    return parsed;
  } catch {
    return null;
  }
}
