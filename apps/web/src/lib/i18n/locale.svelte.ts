import { browser } from '$app/env';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'de';

// Until user preferences live on the server, the choice is remembered per browser.
const STORAGE_KEY = 'nordraum.locale';

/** Narrows an arbitrary value to a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale {
  if (!browser) return DEFAULT_LOCALE;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    // Storage can be blocked by browser policy; the default is a safe fallback.
    return DEFAULT_LOCALE;
  }
}

const initial = readStoredLocale();
let current = $state<Locale>(initial);

function applyToDocument(value: Locale): void {
  // Screen readers pick pronunciation from <html lang>, so it must follow the UI language.
  if (browser) document.documentElement.lang = value;
}

applyToDocument(initial);

/** Reactive current UI locale; read `locale.current` inside templates or `$derived`. */
export const locale = {
  get current(): Locale {
    return current;
  },
  set(value: Locale): void {
    current = value;
    applyToDocument(value);
    if (!browser) return;
    try {
      localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // Not persisting is acceptable; the choice still applies for this page view.
    }
  },
};
