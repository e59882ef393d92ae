import { describe, expect, it } from 'vitest';
import { knownDeviceId, newDeviceToken } from './device.ts';

describe('device tokens', () => {
  const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

  it('recognise a device for the account and password they were issued for', () => {
    const token = newDeviceToken('user-1', hash);
    expect(knownDeviceId(token, 'user-1', hash)).toBe(token.split('.')[0]);
  });

  it('do not carry over to another account, a new password or a forged signature', () => {
    const token = newDeviceToken('user-1', hash);
    expect(knownDeviceId(token, 'user-2', hash)).toBeNull();
    expect(knownDeviceId(token, 'user-1', `${hash}x`)).toBeNull();
    expect(knownDeviceId(`${token.split('.')[0]}.${'A'.repeat(43)}`, 'user-1', hash)).toBeNull();
    expect(knownDeviceId(undefined, 'user-1', hash)).toBeNull();
    expect(knownDeviceId('garbage', 'user-1', hash)).toBeNull();
  });

  it('keep the id of a device that is known already', () => {
    const first = newDeviceToken('user-1', hash);
    const id = first.split('.')[0]!;
    expect(newDeviceToken('user-2', hash, id).startsWith(`${id}.`)).toBe(true);
  });
});
