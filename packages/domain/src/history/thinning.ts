/**
 * Thinning automatic versions as they age: every one of the last day, the newest of each hour for
 * a week, the newest of each day after that. Only automatic versions are ever given to this;
 * manual, approved and restore versions are kept forever by the caller.
 */

const hour = 3_600_000;
const day = 24 * hour;

/** Ages at which thinning changes; defaults in parentheses. */
export interface ThinningRule {
  /** Younger than this, every version is kept (one day). */
  keepAllMs: number;
  /** Younger than this, one per hour is kept (a week); older, one per day. */
  hourlyMs: number;
}

/** The rule the issue agreed on: all of the last day, one per hour for a week, one per day after. */
export const defaultThinning: ThinningRule = { keepAllMs: day, hourlyMs: 7 * day };

/** Ids of the automatic versions to delete so that what is left follows `rule` at `now`. */
export function versionsToThin(
  versions: readonly { id: string; createdAt: Date }[],
  now: Date,
  rule: ThinningRule = defaultThinning,
): string[] {
  const newestFirst = [...versions].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const kept = new Set<string>();
  const doomed: string[] = [];
  for (const version of newestFirst) {
    const age = now.getTime() - version.createdAt.getTime();
    if (age < rule.keepAllMs) continue;
    const bucket = `${age < rule.hourlyMs ? 'h' : 'd'}${Math.floor(version.createdAt.getTime() / (age < rule.hourlyMs ? hour : day))}`;
    if (kept.has(bucket)) doomed.push(version.id);
    else kept.add(bucket);
  }
  return doomed;
}
