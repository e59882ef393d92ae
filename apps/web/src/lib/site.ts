import { call, client } from '#lib/api/client.ts';
import type { Site } from '#lib/api/types.ts';

let pending: Promise<Site> | null = null;

/** The operator's imprint and feedback contact (GET /site), loaded once per page view. */
export function loadSite(): Promise<Site> {
  pending ??= call(client.GET('/site')).catch((error: unknown) => {
    // Let a later page try again instead of remembering the failure.
    pending = null;
    throw error;
  });
  return pending;
}
