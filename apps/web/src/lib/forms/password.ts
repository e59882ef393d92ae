import type { FieldErrors } from './form.svelte.ts';

/** Client-side rules for a new password and its repetition (12 to 128 characters, as the server). */
export function checkNewPassword<F extends string>(
  password: string,
  repeat: string,
  passwordField: F,
  repeatField: F,
): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  // Counted in characters, not UTF-16 units, like the server does.
  const length = [...password].length;
  if (length < 12) errors[passwordField] = 'at least 12 characters';
  else if (length > 128) errors[passwordField] = 'at most 128 characters';
  if (!repeat) errors[repeatField] = 'required';
  else if (repeat !== password) errors[repeatField] = 'passwords differ';
  return errors;
}
