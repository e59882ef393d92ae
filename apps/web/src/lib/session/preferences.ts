import { call, client } from '#lib/api/client.ts';
import { type Locale, locale } from '#lib/i18n/index.ts';
import { session } from './session.svelte.ts';

/** Switches the UI language at once and, when someone is signed in, stores it on their account. */
export async function chooseLocale(code: Locale): Promise<void> {
  locale.set(code);
  if (!session.user || session.user.locale === code) return;
  const { user } = await call(client.PATCH('/me', { body: { locale: code } }));
  session.update(user);
}
