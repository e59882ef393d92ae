import { locale } from './locale.svelte.ts';

// British English keeps day-month order and 24-hour time, closest to what German users expect.
const intlLocale = (): string => (locale.current === 'de' ? 'de-DE' : 'en-GB');

/** Date and time in the UI language, e.g. "22.11.2026, 14:05" (with seconds when asked). */
export function formatDateTime(iso: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), {
    dateStyle: 'medium',
    timeStyle: withSeconds ? 'medium' : 'short',
  }).format(date);
}

/** A date alone in the UI language, e.g. "22.11.2026". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium' }).format(date);
}
