import { describe, expect, it } from 'vitest';
import { createProxyTrust, isProxyEntry, resolveClient, trustNoProxy } from './proxy-trust.ts';

describe('resolveClient', () => {
  const proxies = createProxyTrust(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  it('ignores X-Forwarded-For and -Proto from a peer that is not a trusted proxy', () => {
    const headers = { forwardedFor: '198.51.100.1', forwardedProto: 'https' };
    expect(resolveClient('203.0.113.7', headers, proxies)).toEqual({ address: '203.0.113.7', forwardedProto: null });
    expect(resolveClient('127.0.0.1', headers, trustNoProxy)).toEqual({ address: '127.0.0.1', forwardedProto: null });
  });

  it('takes the nearest address that is not a trusted proxy', () => {
    const client = resolveClient(
      '::ffff:127.0.0.1',
      { forwardedFor: '1.1.1.1, 198.51.100.1, 10.1.2.3', forwardedProto: 'https' },
      proxies,
    );
    // 1.1.1.1 was written by the client itself: only what our proxies appended counts.
    expect(client).toEqual({ address: '198.51.100.1', forwardedProto: 'https' });
  });

  it('stops at a hop that is not an address', () => {
    expect(resolveClient('10.0.0.1', { forwardedFor: '198.51.100.1, unknown' }, proxies).address).toBe('10.0.0.1');
  });

  it('accepts addresses and CIDR blocks, nothing else', () => {
    expect(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'].every(isProxyEntry)).toBe(true);
    expect(['localhost', '10.0.0.0/33', '10.0.0.0/8/1', ''].some(isProxyEntry)).toBe(false);
    expect(() => createProxyTrust(['proxy.example'])).toThrow(/proxy.example/);
  });
});
