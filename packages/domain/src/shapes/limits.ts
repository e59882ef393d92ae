/**
 * The longest value each field of a roadmap or an action list takes, in characters (UTF-16 code
 * units, as `maxlength` counts them). One place: the shapes' writers refuse more, their readers
 * cut what another client sent beyond it (so a view never has to lay out 10,000 characters), and
 * the forms take their `maxlength` and counters from here.
 */
export const fieldLimits = {
  /** Titles of actions and milestones. */
  title: 200,
  /** A milestone's description. */
  description: 2_000,
  /** A theme's name. */
  themeName: 120,
  /** A theme's colour (`#rrggbb`). */
  colour: 16,
  /** A Land or organisation code (`SH`, `DATAPORT`), a milestone's lead. */
  code: 40,
  /** Ids: of users, documents, milestones, themes. */
  id: 64,
  /** Timestamps (ISO 8601). */
  timestamp: 40,
  /** Owners of one milestone. */
  owners: 100,
} as const;

export type FieldLimit = keyof typeof fieldLimits;

/** `value` cut to `limit` code units, never through a surrogate pair. */
export function clip(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const end = /[\uD800-\uDBFF]/.test(value[limit - 1]!) ? limit - 1 : limit;
  return value.slice(0, end);
}
