import { isIsoDate } from '@nordraum/domain';
import { formatCalendarDay } from '#lib/i18n/calendar.ts';
import { locale } from '#lib/i18n/index.ts';

// Calendar dates as the shapes store them (YYYY-MM-DD), computed in UTC so that daylight saving
// time never turns "one day later" into 23 or 25 hours.

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

/** An ISO date in the UI language, e.g. "15.03.2027"; screen readers read it as a date. */
export function formatDay(iso: string | null, style: 'medium' | 'long' = 'medium'): string {
  if (!iso) return '';
  // A real calendar day only: Date.parse would take 2027-02-30 and read it as 2 March.
  if (!isIsoDate(iso)) return iso;
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return formatCalendarDay(locale.current, year, month, day, style);
}
