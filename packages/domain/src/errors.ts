/** Machine-readable error codes; each maps to one HTTP status. */
export const errorStatus = {
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  password_change_required: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  payload_too_large: 413,
  mention_refused: 422,
  /** A suggested change's passage reads differently now: accepting needs a confirmation. */
  passage_changed: 409,
  /**
   * A passage was written by edits the server has not committed yet (they are on their way, or
   * the writer is offline): send the request again once the document is synchronised.
   */
  passage_pending: 409,
} as const;
export type ErrorCode = keyof typeof errorStatus;

/** The one typed error of Nordraum: a code, a message safe to show, optional failing fields. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: Record<string, string>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return errorStatus[this.code];
  }
}
