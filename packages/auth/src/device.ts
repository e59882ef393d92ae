import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A known device: a cookie set at a successful login, `<device id>.<signature>`, signed with the
 * account's password hash (secret to the server, salted, and different for every account). It lets
 * the right password through on that device even while someone elsewhere is guessing, and it ends
 * by itself when the password changes, since the hash then does.
 */

/** Name of the device cookie. */
export const deviceCookieName = 'nordraum_device';

/** How long a device stays known without logging in again: a year. */
export const deviceLifetimeMs = 365 * 24 * 60 * 60 * 1000;

const sign = (deviceId: string, userId: string, passwordHash: string) =>
  createHmac('sha256', passwordHash).update(`nordraum-device:${userId}:${deviceId}`).digest('base64url');

/** A new device cookie value for this account; `deviceId` keeps the id of a device that is known already. */
export function newDeviceToken(userId: string, passwordHash: string, deviceId?: string): string {
  const id = deviceId ?? randomBytes(16).toString('base64url');
  return `${id}.${sign(id, userId, passwordHash)}`;
}

/** The device's id when `token` was issued for this account and its current password; null otherwise. */
export function knownDeviceId(token: string | undefined, userId: string, passwordHash: string): string | null {
  const match = /^([\w-]{16,64})\.([\w-]{43})$/.exec(token ?? '');
  if (!match) return null;
  const expected = Buffer.from(sign(match[1]!, userId, passwordHash));
  const offered = Buffer.from(match[2]!);
  return offered.length === expected.length && timingSafeEqual(offered, expected) ? match[1]! : null;
}
