import { ApiError, call, client, onUnauthorized, redirectToLogin } from '#lib/api/client.ts';
import type { User } from '#lib/api/types.ts';
import { isLocale, locale } from '#lib/i18n/index.ts';

let user = $state<User | null>(null);
// `true` once we know whether someone is signed in, so the header does not flash a wrong state.
let known = $state(false);
let pending: Promise<User | null> | null = null;

onUnauthorized(() => {
  user = null;
  known = true;
  pending = null;
});

function remember(next: User | null): User | null {
  user = next;
  known = true;
  // The language is stored per user on the server; it wins over this browser's last choice.
  if (next && isLocale(next.locale)) locale.set(next.locale);
  return next;
}

async function fetchMe(): Promise<User | null> {
  try {
    const response = await call(client.GET('/me'));
    return remember(response.user);
  } catch (error) {
    // A 401 means "signed out"; anything else (e.g. offline) leaves us not knowing either way.
    if (!(error instanceof ApiError) || error.status !== 401) {
      pending = null;
      throw error;
    }
    return remember(null);
  }
}

/** The signed-in user as seen by the UI; loaded once and refreshed after login/logout. */
export const session = {
  get user(): User | null {
    return user;
  },
  get known(): boolean {
    return known;
  },
  /** Loads the current user once; later calls share the first request's result. */
  ensure(): Promise<User | null> {
    pending ??= fetchMe();
    return pending;
  },
  /** Forces a fresh `GET /api/me`, e.g. right after signing in. */
  refresh(): Promise<User | null> {
    pending = fetchMe();
    return pending;
  },
  /** Replaces the user after the server returned a changed one (e.g. from PATCH /me). */
  update(next: User): void {
    remember(next);
    pending = Promise.resolve(next);
  },
  /** Signs out on the server and forgets the user locally. */
  async logout(): Promise<void> {
    try {
      await call(client.POST('/auth/logout'));
    } finally {
      user = null;
      known = true;
      pending = Promise.resolve(null);
    }
  },
};

/**
 * The signed-in user for pages that need one; sends everybody else to /login (resolving `null`).
 * Network faults are thrown, so the page can offer to retry.
 */
export async function requireUser(): Promise<User | null> {
  const current = await session.ensure();
  if (!current) await redirectToLogin();
  return current;
}
