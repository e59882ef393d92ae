import type { AppDependencies } from './context.ts';

/**
 * Tells the indexes ("my actions", search) that a document got content outside the sync path: made
 * with content (a template, a meeting's minutes) or imported. Edits through the sync server reach
 * them on their own; a new document nobody has opened yet would otherwise wait for a restart.
 */
export function contentWritten(deps: Pick<AppDependencies, 'indexer' | 'search'>, documentId: string): void {
  deps.indexer?.changed(documentId);
  deps.search?.changed(documentId);
}
