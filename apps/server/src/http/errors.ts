import { AppError } from '@nordraum/domain';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context.ts';

/** The one place an error becomes a response: `{ error: { code, message, fields? } }`, never a stack. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.code === 'internal') {
    c.var.log?.error({ err: error }, 'request failed');
  }
  if (appError.retryAfterSeconds !== undefined) c.header('Retry-After', String(appError.retryAfterSeconds));
  return c.json(
    {
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.fields ? { fields: appError.fields } : {}),
      },
    },
    appError.status as ContentfulStatusCode,
  );
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException && error.status === 400) {
    // Hono's JSON validator throws this for a body that is not JSON.
    return new AppError('invalid_json', 'The request body is not valid JSON.');
  }
  if (error instanceof HTTPException && error.status < 500) {
    return new AppError(error.status === 404 ? 'not_found' : 'validation_failed', error.message);
  }
  return new AppError('internal', 'Something went wrong on our side. Please try again later.');
}

/** 404 in the API's error shape. */
export function notFound(c: Context<AppEnv>) {
  return c.json({ error: { code: 'not_found', message: 'Not found.' } }, 404);
}

interface ValidationResult {
  success: boolean;
  error?: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[];
}

/** Validator hook: a failed schema becomes 400 `validation_failed` with a message per field. */
export function validationHook(result: ValidationResult) {
  if (result.success) return;
  const fields: Record<string, string> = {};
  for (const issue of result.error ?? []) {
    const path = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
    fields[path.join('.') || '_'] ??= issue.message;
  }
  throw new AppError('validation_failed', 'Some fields are not valid.', { fields });
}
