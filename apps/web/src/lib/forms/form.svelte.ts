import { tick } from 'svelte';
import { ApiError } from '#lib/api/client.ts';
import { fieldMessage } from '#lib/api/error-message.ts';

/** Field name → raw error (a server phrase or a client code), translated only when shown. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/**
 * State of one form: busy flag, errors next to fields, and a failure for the form as a whole.
 * Raw error codes are kept instead of texts, so messages follow a language switch.
 */
export class FormState<F extends string> {
  submitting = $state(false);
  errors = $state<FieldErrors<F>>({});
  failure = $state<unknown>(null);
  readonly #fields: readonly F[];

  constructor(fields: readonly F[]) {
    this.#fields = fields;
  }

  /** The translated error for `field`, or '' when it is valid. */
  error(field: F): string {
    const raw = this.errors[field];
    return raw ? fieldMessage(raw) : '';
  }

  /** Forgets every error, e.g. when the form is closed. */
  reset(): void {
    this.errors = {};
    this.failure = null;
  }

  /**
   * Validates with `check`, then runs `action` unless already busy. Field errors from either end
   * up next to their fields and focus moves to the first invalid one; returns whether it worked.
   */
  async submit(
    form: HTMLFormElement | undefined,
    check: () => FieldErrors<F>,
    action: () => Promise<void>,
    /** Error codes that concern one field although the server sends no `fields`, e.g. email_taken. */
    codeFields: Partial<Record<string, F>> = {},
  ): Promise<boolean> {
    if (this.submitting) return false;
    this.failure = null;
    this.errors = check();
    if (Object.values(this.errors).some(Boolean)) {
      await focusFirstInvalid(form);
      return false;
    }
    this.submitting = true;
    try {
      await action();
      return true;
    } catch (error) {
      const fields: FieldErrors<F> = error instanceof ApiError ? this.#known(error.fields) : {};
      const codeField = error instanceof ApiError ? codeFields[error.code] : undefined;
      // 'email_taken' → 'email taken': the same vocabulary fieldMessage() translates.
      if (codeField && error instanceof ApiError) fields[codeField] = error.code.replace(/_/g, ' ');
      if (Object.keys(fields).length > 0) {
        this.errors = fields;
        await focusFirstInvalid(form);
      } else {
        this.failure = error;
      }
      return false;
    } finally {
      this.submitting = false;
    }
  }

  #known(fields: Record<string, string> | undefined): FieldErrors<F> {
    const known: FieldErrors<F> = {};
    for (const field of this.#fields) {
      const message = fields?.[field];
      if (message) known[field] = message;
    }
    return known;
  }
}

/** Moves focus to the first field marked invalid inside `form`. */
export async function focusFirstInvalid(form: HTMLElement | undefined): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/** Client-side check: 'required' for every listed field whose value is blank. */
export function requireFilled<F extends string>(values: Partial<Record<F, string>>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const [field, value] of Object.entries(values) as [F, string | undefined][]) {
    if (value !== undefined && !value.trim()) errors[field] = 'required';
  }
  return errors;
}
