import type { Database } from '@nordraum/db';
import { blockedFor, countAgainst, failuresOf, type Limit, resetLimit } from './rate-limit.ts';

/**
 * Makes guessing passwords slow without handing anyone a button that locks a colleague out.
 *
 * - A known device (see device.ts) of the account is only limited by its own failures: whatever
 *   happens elsewhere, the right password on the owner's own computer gets in.
 * - An address that has not failed in the window is not held back by the account's failures: the
 *   owner on a fresh network gets in while someone else is guessing.
 * - Everyone else waits, progressively, once the account or their address has failed too often:
 *   the first wait is a minute after the window began, then it doubles, never beyond the window.
 *   Refused attempts are not checked and not counted, so they teach nothing.
 * - Behind a reverse proxy, the address is the client's only with `TRUST_PROXY`; otherwise all
 *   clients share the proxy's address and only known devices keep it from slowing everyone.
 */

/** Failures before waits begin, per account and per address, within `windowSeconds`. */
export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

/** 5 per account and 20 per address in 15 minutes. */
export const defaultLoginLimits: LoginLimits = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 };

/** One attempt to prove a password: login, or the current password when changing it. */
export interface PasswordAttempt {
  /** What is being limited, e.g. `login` or `password`: each scope counts on its own. */
  scope: string;
  /** The account as typed (e-mail) or known (user id). */
  account: string;
  address: string;
  /** The id of a known device of this account, when the request carries one. */
  deviceId: string | null;
}

const firstDelaySeconds = 60;

function limitsOf(attempt: PasswordAttempt, limits: LoginLimits) {
  const limit = (key: string, max: number): Limit => ({
    key: `${attempt.scope}:${key}`,
    max,
    windowSeconds: limits.windowSeconds,
    delaySeconds: firstDelaySeconds,
  });
  return {
    account: limit(`account:${attempt.account}`, limits.perAccount),
    address: limit(`address:${attempt.address}`, limits.perAddress),
    device: attempt.deviceId ? limit(`device:${attempt.deviceId}`, limits.perAccount) : null,
  };
}

/** Seconds this attempt must wait before it is checked at all; 0 lets it through. */
export async function passwordAttemptWait(db: Database, attempt: PasswordAttempt, limits: LoginLimits) {
  const keys = limitsOf(attempt, limits);
  if (keys.device) return blockedFor(db, [keys.device]);
  const addressHasFailed = (await failuresOf(db, keys.address.key, limits.windowSeconds)) > 0;
  return blockedFor(db, addressHasFailed ? [keys.address, keys.account] : [keys.address]);
}

/** Counts a wrong password against the account, the address and the device it came from. */
export async function recordPasswordFailure(db: Database, attempt: PasswordAttempt, limits: LoginLimits) {
  const keys = limitsOf(attempt, limits);
  await countAgainst(db, [keys.account, keys.address, ...(keys.device ? [keys.device] : [])]);
}

/** The right password: the account's and the device's failures are forgotten (never the address's). */
export async function recordPasswordSuccess(db: Database, attempt: PasswordAttempt, limits: LoginLimits) {
  const keys = limitsOf(attempt, limits);
  await resetLimit(db, keys.account.key);
  if (keys.device) await resetLimit(db, keys.device.key);
}
