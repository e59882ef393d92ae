import { locale } from './locale.svelte.ts';

// British English keeps day-month order and 24-hour time, closest to what German users expect.
const intlLocale = (): string => (locale.current === 'de' ? 'de-DE' : 'en-GB');

/** Formatters are costly to make (a list of hundreds of comments made one per date): one per kind and language. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'minutes' | 'seconds'): Intl.DateTimeFormat {
  const key = `${intlLocale()} ${kind}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(intlLocale(), {
      dateStyle: 'medium',
      ...(kind === 'date' ? {} : { timeStyle: kind === 'seconds' ? 'medium' : 'short' }),
    });
    formatters.set(key, made);
  }
  return made;
}

/** Times already formatted (a list shows hundreds of them, and shows them again as it changes). */
const formatted = new Map<string, string>();

/** Date and time in the UI language, e.g. "22.11.2026, 14:05" (with seconds when asked). */
export function formatDateTime(iso: string, withSeconds = false): string {
  const kind = withSeconds ? 'seconds' : 'minutes';
  const key = `${intlLocale()} ${kind} ${iso}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (formatted.size > 5_000) formatted.clear();
  const text = formatter(kind).format(date);
  formatted.set(key, text);
  return text;
}

/** A date alone in the UI language, e.g. "22.11.2026". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('date').format(date);
}

/** A whole number in the UI language, e.g. "5.000" (German) or "5,000" (English). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlLocale()).format(value);
}
