import { formatDuration, t } from '#lib/i18n/index.ts';
import { ApiError, NETWORK_ERROR } from './client.ts';

/** Texts a page supplies for error codes whose meaning depends on what was attempted. */
export interface ErrorTexts {
  conflict?: string;
  notFound?: string;
  forbidden?: string;
}

/** Turns any thrown value into a translated, user-facing sentence. */
export function errorMessage(error: unknown, texts: ErrorTexts = {}): string {
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
    case 'email_taken':
      return t('error.emailTaken');
    case 'password_change_required':
      return t('account.passwordChangeRequired');
    case 'conflict':
      return texts.conflict ?? t('error.conflict');
    case 'passage_pending':
      return t('error.passagePending');
    case 'not_found':
      return texts.notFound ?? t('error.notFoundAction');
    case NETWORK_ERROR:
      return t('error.network');
  }
  // Codes we have no specific text for still deserve more than "something went wrong".
  if (error.status === 401) return t('error.unauthorized');
  if (error.status === 403) return texts.forbidden ?? t('error.forbidden');
  return t('error.generic');
}

/**
 * Translates one field error. Server messages are short English phrases from the validation
 * schemas (packages/domain); client-side checks use the same vocabulary, so both read alike.
 */
export function fieldMessage(raw: string): string {
  const min = /at least (\d+) characters/.exec(raw) ?? /expected string to have >=(\d+) characters/.exec(raw);
  if (min) return t('form.minLength', { count: min[1] ?? '' });
  const max = /at most (\d+) characters/.exec(raw) ?? /expected string to have <=(\d+) characters/.exec(raw);
  if (max) return t('form.maxLength', { count: max[1] ?? '' });
  switch (raw) {
    case 'must not be empty':
    case 'required':
    case 'required with a room':
      return t('form.required');
    case 'must be an e-mail address':
      return t('form.email');
    case 'wrong password':
      return t('form.wrongPassword');
    case 'same as the start password':
      return t('password.notStartPassword');
    case 'passwords differ':
      return t('form.passwordsDiffer');
    case 'unknown organisation':
      return t('form.unknownOrganization');
    case 'code taken':
      return t('form.codeTaken');
    case 'email taken':
      return t('form.emailTaken');
    case 'to before from':
      return t('form.dateOrder');
    case '2 to 16 capital letters, digits, dots or hyphens':
      return t('form.organizationCode');
  }
  if (/received undefined/.test(raw)) return t('form.required');
  return t('form.invalid');
}
