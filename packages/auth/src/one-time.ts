import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A fresh one-time token (160 bits, base32) for a link, and the hash to store instead of it. */
export function newOneTimeToken(): { token: string; hash: Uint8Array } {
  const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  return { token, hash: hashOneTimeToken(token) };
}

/** The stored form of a one-time token. */
export function hashOneTimeToken(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token));
}
