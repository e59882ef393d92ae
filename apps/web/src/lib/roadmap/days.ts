import { isIsoDate } from '@nordraum/domain';

// Calendar dates as the shapes store them (YYYY-MM-DD), computed in UTC so that daylight saving
// time never turns "one day later" into 23 or 25 hours. Nothing here depends on the UI language,
// so the timeline layout and unit tests use this module; dates.ts adds formatting.

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of an ISO date at UTC midnight. */
export function toDayMs(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** The ISO date of a UTC-midnight timestamp. */
export function fromDayMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `iso` moved by `days` (negative moves back). */
export function addDays(iso: string, days: number): string {
  return fromDayMs(toDayMs(iso) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDayMs(to) - toDayMs(from)) / DAY_MS);
}

/** Today in the user's own time zone, as YYYY-MM-DD: due dates are local calendar days. */
export function todayIso(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** First day of the quarter that contains `iso`. */
export function quarterStart(iso: string): string {
  const [year, month] = iso.split('-').map(Number) as [number, number];
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${year}-${String(first).padStart(2, '0')}-01`;
}

/** First day of the quarter after the one that contains `iso`. */
export function nextQuarter(iso: string): string {
  const [year, month] = quarterStart(iso).split('-').map(Number) as [number, number];
  return month === 10 ? `${year + 1}-01-01` : `${year}-${String(month + 3).padStart(2, '0')}-01`;
}

/** Quarter number (1–4) and year of a date. */
export function quarterOf(iso: string): { quarter: number; year: number } {
  const [year, month] = iso.split('-').map(Number) as [number, number];
  return { quarter: Math.floor((month - 1) / 3) + 1, year };
}

/** Years from today beyond which a date is likely a typo (2099 for 2029) and is confirmed first. */
export const FAR_FROM_TODAY_YEARS = 5;

/**
 * Whether `iso` lies more than `FAR_FROM_TODAY_YEARS` (default 5) years before or after `today`:
 * such a date is kept when entered, but the person is asked to confirm it first (a roadmap's window
 * leaves such dates at its edge, see `timelineWindow`). False for anything but a real date.
 */
export function isFarFromToday(iso: string, today = todayIso(), years = FAR_FROM_TODAY_YEARS): boolean {
  if (!isIsoDate(iso) || !isIsoDate(today)) return false;
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const pad = (value: number) => String(value).padStart(2, '0');
  // Same day and month, `years` away; 29 February falls back to the 28th.
  const shift = (by: number) => {
    const target = year + by;
    const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
    const safeDay = month === 2 && day === 29 && !leap ? 28 : day;
    return `${String(target).padStart(4, '0')}-${pad(month)}-${pad(safeDay)}`;
  };
  return iso < shift(-years) || iso > shift(years);
}
