import type { ContentEntry } from '@nordraum/domain';
import type { AppDependencies } from './context.ts';

/**
 * Tells the indexes ("my actions", search) that a document got content outside the sync path: made
 * with content (a template, a meeting's minutes) or imported. Edits through the sync server reach
 * them on their own; a new document nobody has opened yet would otherwise wait for a restart.
 * `searchEntries`, when the caller has them already, spare the search index reading the document.
 */
export function contentWritten(
  deps: Pick<AppDependencies, 'indexer' | 'search'>,
  documentId: string,
  searchEntries?: ContentEntry[],
): void {
  deps.indexer?.changed(documentId);
  if (searchEntries) deps.search?.written(documentId, searchEntries);
  else deps.search?.changed(documentId);
}
