import { formatDuration, t } from '#lib/i18n/index.ts';
import { ApiError, NETWORK_ERROR } from './client.ts';

/** Turns any thrown value into a translated, user-facing sentence. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.generic');

  switch (error.code) {
    case 'invalid_credentials':
      return t('error.invalidCredentials');
    case 'rate_limited':
      return error.retryAfter && error.retryAfter > 0
        ? t('error.rateLimited', { wait: formatDuration(error.retryAfter) })
        : t('error.rateLimitedNoWait');
    case 'validation_failed':
      return t('error.validationFailed');
    case NETWORK_ERROR:
      return t('error.network');
  }

  // Codes we have no specific text for still deserve more than "something went wrong".
  if (error.status === 401) return t('error.unauthorized');
  if (error.status === 403) return t('error.forbidden');
  return t('error.generic');
}
