import { isIsoDate } from '@nordraum/domain';
import { formatCalendarDay } from '#lib/i18n/calendar.ts';
import { locale } from '#lib/i18n/index.ts';

export {
  addDays,
  daysBetween,
  FAR_FROM_TODAY_YEARS,
  fromDayMs,
  isFarFromToday,
  nextQuarter,
  quarterOf,
  quarterStart,
  toDayMs,
  todayIso,
} from './days.ts';

/** An ISO date in the UI language, e.g. "15.03.2027"; screen readers read it as a date. */
export function formatDay(iso: string | null, style: 'medium' | 'long' = 'medium'): string {
  if (!iso) return '';
  // A real calendar day only: Date.parse would take 2027-02-30 and read it as 2 March.
  if (!isIsoDate(iso)) return iso;
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return formatCalendarDay(locale.current, year, month, day, style);
}
