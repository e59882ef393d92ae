import type { Version } from '#lib/history/versions.ts';
import { formatDateTime } from '#lib/i18n/format.ts';
import { t } from '#lib/i18n/index.ts';

/** A linked version as the decision form edits it: a document of the room and one of its versions. */
export interface VersionLink {
  key: number;
  documentId: string;
  versionId: string;
}

// What a decision most often refers to comes first: an approved state, then a named one.
const rank: Record<Version['kind'], number> = { approved: 0, manual: 1, restore: 2, auto: 3 };

/** A document's versions in the order the form offers them: approved, named, the rest; newest first within each. */
export function versionChoices(versions: readonly Version[]): Version[] {
  return [...versions].sort((a, b) => rank[a.kind] - rank[b.kind] || b.createdAt.localeCompare(a.createdAt));
}

/** How a version reads in a list: its kind, its name if it has one, and when it was kept. */
export function versionLabel(version: Pick<Version, 'kind' | 'name' | 'createdAt'>): string {
  const kind = t(`history.kind.${version.kind}`);
  const time = formatDateTime(version.createdAt);
  return version.name
    ? t('decisions.versionLabel', { kind, name: version.name, time })
    : t('decisions.versionLabelUnnamed', { kind, time });
}

/** Where a linked version opens: the document, showing that version. */
export const versionHref = (documentId: string, versionId: string) =>
  `/documents/${encodeURIComponent(documentId)}?version=${encodeURIComponent(versionId)}`;
