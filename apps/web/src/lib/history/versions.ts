// The history API as the panel uses it, through the typed client generated from the server's
// OpenAPI document.
import { call, client } from '#lib/api/client.ts';
import type { paths } from '#lib/api/schema.d.ts';

type Json<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export type Version = Json<paths['/documents/{documentId}/versions']['get']>['versions'][number];
export type Changes = Json<paths['/documents/{documentId}/versions/{versionId}/changes']['get']>['changes'];
export type ChangeItem = Changes['items'][number];

/** A document's versions, newest first. */
export async function listVersions(documentId: string): Promise<Version[]> {
  const data = await call(client.GET('/documents/{documentId}/versions', { params: { path: { documentId } } }));
  return data.versions;
}

/** Names the document's current state. */
export async function createVersion(documentId: string, name: string): Promise<Version> {
  const data = await call(
    client.POST('/documents/{documentId}/versions', { params: { path: { documentId } }, body: { name } }),
  );
  return data.version;
}

/** What changed from a version to the current state. */
export async function changesSince(documentId: string, versionId: string): Promise<Changes> {
  const data = await call(
    client.GET('/documents/{documentId}/versions/{versionId}/changes', {
      params: { path: { documentId, versionId }, query: { against: 'current' } },
    }),
  );
  return data.changes;
}

/** Restores a version; answers the version kept of the state before. */
export async function restoreVersion(documentId: string, versionId: string): Promise<Version> {
  const data = await call(
    client.POST('/documents/{documentId}/versions/{versionId}/restore', {
      params: { path: { documentId, versionId } },
    }),
  );
  return data.version;
}

/** A version's stored Yjs state. */
export async function versionState(documentId: string, versionId: string): Promise<Uint8Array> {
  const data = await call(
    client.GET('/documents/{documentId}/versions/{versionId}/state', {
      params: { path: { documentId, versionId } },
      parseAs: 'arrayBuffer',
    }),
  );
  return new Uint8Array(data as unknown as ArrayBuffer);
}

/** The address of a document's page showing one of its versions (see VersionView). */
export function versionHref(documentId: string, versionId: string): string {
  return `/documents/${encodeURIComponent(documentId)}?version=${encodeURIComponent(versionId)}`;
}
