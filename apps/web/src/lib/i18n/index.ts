import { de } from './de.ts';
import { en } from './en.ts';
import { type Locale, locale } from './locale.svelte.ts';

export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale, locale } from './locale.svelte.ts';

export type MessageKey = keyof typeof de;

const catalogues: Record<Locale, Record<MessageKey, string>> = { de, en };

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** Parameters required by a message, derived from the `{placeholders}` in the German text. */
export type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof de)[K]>, string | number>;

type ParamArgs<K extends MessageKey> = [Placeholders<(typeof de)[K]>] extends [never] ? [] : [params: MessageParams<K>];

/** Translates `key` into the current locale, filling in `{placeholders}` from `params`. */
export function t<K extends MessageKey>(key: K, ...args: ParamArgs<K>): string {
  const template = catalogues[locale.current][key];
  const params = args[0] as Record<string, string | number> | undefined;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** Formats a duration in seconds as localised words, e.g. "30 Sekunden" or "2 minutes". */
export function formatDuration(seconds: number): string {
  const useMinutes = seconds >= 90;
  const value = useMinutes ? Math.ceil(seconds / 60) : Math.max(1, Math.ceil(seconds));
  return new Intl.NumberFormat(locale.current, {
    style: 'unit',
    unit: useMinutes ? 'minute' : 'second',
    unitDisplay: 'long',
  }).format(value);
}
