import { deviceCookieName, deviceLifetimeMs, knownDeviceId, newDeviceToken } from '@nordraum/auth';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';

/** The id of this request's device when its cookie was issued for this account (see packages/auth device.ts). */
export function knownDevice(c: Context<AppEnv>, userId: string, passwordHash: string): string | null {
  return knownDeviceId(getCookie(c, deviceCookieName), userId, passwordHash);
}

/**
 * Marks this device as known for the account: HttpOnly, sent only to the auth routes that read it,
 * Secure with an https origin. A device already known keeps its id.
 */
export function rememberDevice(c: Context<AppEnv>, publicOrigin: string, userId: string, passwordHash: string) {
  const deviceId = getCookie(c, deviceCookieName)?.split('.')[0];
  const token = newDeviceToken(
    userId,
    passwordHash,
    deviceId && /^[\w-]{16,64}$/.test(deviceId) ? deviceId : undefined,
  );
  setCookie(c, deviceCookieName, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/api/',
    secure: publicOrigin.startsWith('https:'),
    maxAge: Math.floor(deviceLifetimeMs / 1000),
  });
}
