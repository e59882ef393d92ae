import { type ActionItem, compareCodeUnits, roadmapOf } from '@nordraum/domain';
import { t } from '#lib/i18n/index.ts';
import type { FieldOption } from '#lib/roadmap/LiveField.svelte';
import type { RelatedDocuments } from '#lib/roadmap/related-documents.svelte.ts';

/** The milestones of the room's roadmaps, by roadmap id, and whether all of them are known. */
export interface MilestoneIndex {
  ready: boolean;
  roadmaps: { id: string; title: string; milestones: { id: string; title: string }[] }[];
  /** Roadmap id → milestone id → title, so a link is looked up, not searched for. */
  titles: Map<string, Map<string, string>>;
}

/** How one action's link reads now. */
export interface MilestoneLink {
  state: 'none' | 'linked' | 'removed' | 'loading';
  /** Select value: `roadmapId|milestoneId`, or '' for no link. */
  value: string;
  label: string;
}

/** Reads every roadmap of the room; call inside `$derived` (it reads `related.version`). */
export function indexMilestones(related: RelatedDocuments | null): MilestoneIndex {
  if (!related) return { ready: false, roadmaps: [], titles: new Map() };
  void related.version;
  const ready = related.documents.every((entry) => related.isKnown(entry));
  const roadmaps = related.documents.map((entry) => ({
    id: entry.id,
    title: entry.title,
    milestones: roadmapOf(entry.session.doc)
      .milestones()
      .sort((a, b) => compareCodeUnits(a.start ?? '9999', b.start ?? '9999') || a.title.localeCompare(b.title))
      .map((m) => ({ id: m.id, title: m.title || t('roadmap.untitled') })),
  }));
  const titles = new Map(roadmaps.map((r) => [r.id, new Map(r.milestones.map((m) => [m.id, m.title]))]));
  return { ready, roadmaps, titles };
}

/** An action's link against the milestones that exist now (a missing roadmap counts as removed). */
export function linkOf(item: Pick<ActionItem, 'roadmapId' | 'milestoneId'>, index: MilestoneIndex): MilestoneLink {
  if (!item.milestoneId) return { state: 'none', value: '', label: t('actions.link.none') };
  const { milestoneId } = item;
  const candidates = item.roadmapId ? index.roadmaps.filter((r) => r.id === item.roadmapId) : index.roadmaps;
  const roadmap = candidates.find((r) => index.titles.get(r.id)?.has(milestoneId));
  const value = `${roadmap?.id ?? item.roadmapId ?? ''}|${milestoneId}`;
  if (roadmap) {
    const title = index.titles.get(roadmap.id)?.get(milestoneId) ?? '';
    return { state: 'linked', value, label: index.roadmaps.length > 1 ? `${title} (${roadmap.title})` : title };
  }
  // Until every roadmap is read, a missing milestone may simply not have arrived yet.
  if (!index.ready) return { state: 'loading', value, label: t('actions.link.loading') };
  return { state: 'removed', value, label: t('actions.link.removed') };
}

/** Choices for the milestone select, grouped by roadmap. */
export function milestoneOptions(index: MilestoneIndex): FieldOption[] {
  return [
    { value: '', label: t('actions.link.none') },
    ...index.roadmaps.flatMap((roadmap) =>
      roadmap.milestones.map((m) => ({ value: `${roadmap.id}|${m.id}`, label: m.title, group: roadmap.title })),
    ),
  ];
}
