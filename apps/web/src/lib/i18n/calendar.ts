// Dates as Intl.DateTimeFormat writes them for de-DE and en-GB ("15. März 2027", "15 Mar 2027"),
// without Intl: the first Intl formatter of a page loads ICU's data, some 20 ms of the main
// thread before a roadmap's first paint. calendar.test.ts holds the texts Chromium writes.

/** The UI languages. */
export type CalendarLocale = 'de' | 'en';

const monthNames: Record<CalendarLocale, string[]> = {
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};
const shortEnglishMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * A calendar day (month 1–12) as `dateStyle` 'medium' or 'long' writes it: "15.03.2027" or
 * "15. März 2027"; "15 Mar 2027" or "15 March 2027".
 */
export function formatCalendarDay(
  locale: CalendarLocale,
  year: number,
  month: number,
  day: number,
  style: 'medium' | 'long' = 'medium',
): string {
  if (locale === 'de') {
    return style === 'medium' ? `${pad(day)}.${pad(month)}.${year}` : `${day}. ${monthNames.de[month - 1]} ${year}`;
  }
  const name = style === 'medium' ? shortEnglishMonths[month - 1] : monthNames.en[month - 1];
  return `${day} ${name} ${year}`;
}

/** A moment in local time as `dateStyle: 'long', timeStyle: 'short'` writes it; '' if invalid. */
export function formatLongDateTime(locale: CalendarLocale, date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const day = formatCalendarDay(locale, date.getFullYear(), date.getMonth() + 1, date.getDate(), 'long');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return `${day} ${locale === 'de' ? 'um' : 'at'} ${time}`;
}
