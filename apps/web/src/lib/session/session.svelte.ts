import { ApiError, api, onUnauthorized } from '#lib/api/client.ts';
import type { MeResponse, User } from '#lib/api/types.ts';

let user = $state<User | null>(null);
// `true` once we know whether someone is signed in, so the header does not flash a wrong state.
let known = $state(false);
let pending: Promise<User | null> | null = null;

onUnauthorized(() => {
  user = null;
  known = true;
  pending = null;
});

async function fetchMe(): Promise<User | null> {
  try {
    const response = await api<MeResponse>('GET', '/api/me');
    user = response.user;
  } catch (error) {
    // A 401 means "signed out"; anything else (e.g. offline) leaves us not knowing either way.
    if (!(error instanceof ApiError) || error.status !== 401) {
      pending = null;
      throw error;
    }
    user = null;
  }
  known = true;
  return user;
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
  /** Signs out on the server and forgets the user locally. */
  async logout(): Promise<void> {
    try {
      await api<void>('POST', '/api/auth/logout');
    } finally {
      user = null;
      known = true;
      pending = Promise.resolve(null);
    }
  },
};
