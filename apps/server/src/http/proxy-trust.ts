import { BlockList, isIP } from 'node:net';

/**
 * Who sent a request, when reverse proxies stand between the browser and Nordraum.
 *
 * `X-Forwarded-For` and `X-Forwarded-Proto` are whatever the sender wrote, so they are believed only
 * when the socket's peer is a proxy the operator named in `TRUST_PROXY`. The address list is read
 * from the right (the hop nearest to us) and every trusted proxy is skipped: the first address that
 * is not a trusted proxy is the client. A client that writes its own `X-Forwarded-For` only adds
 * entries to the left of what our proxy appends, so it cannot choose its address.
 */

/** Decides whether an address is one of the operator's proxies. */
export type ProxyTrust = (address: string) => boolean;

/** Trusts nobody: the socket's peer is the client. The default without `TRUST_PROXY`. */
export const trustNoProxy: ProxyTrust = () => false;

/** Whether `entry` is an IP address or CIDR block (`10.0.0.0/8`, `fd00::/8`), as `TRUST_PROXY` lists them. */
export function isProxyEntry(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/** Builds the trust check for a list of addresses and CIDR blocks; throws on an entry that is neither. */
export function createProxyTrust(entries: readonly string[]): ProxyTrust {
  if (entries.length === 0) return trustNoProxy;
  const list = new BlockList();
  for (const entry of entries) {
    if (!isProxyEntry(entry)) throw new Error(`not an address or CIDR block: ${entry}`);
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`. */
export function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

/** The client's address and protocol as resolved through trusted proxies. */
export interface ResolvedClient {
  address: string | null;
  /** `https` or `http` as the client used it, when a trusted proxy said so; otherwise null. */
  forwardedProto: string | null;
}

/** Resolves the client from the socket's peer and the forwarding headers, trusting only `trust`. */
export function resolveClient(
  peer: string | null,
  headers: { forwardedFor?: string; forwardedProto?: string },
  trust: ProxyTrust,
): ResolvedClient {
  if (peer === null) return { address: null, forwardedProto: null };
  let address = unmapped(peer);
  if (!trust(address)) return { address, forwardedProto: null };
  const hops = (headers.forwardedFor ?? '').split(',').map((hop) => unmapped(hop.trim()));
  // A hop that is not an address ends the walk: what lies left of it cannot be vouched for.
  while (trust(address) && hops.length > 0 && isIP(hops.at(-1)!) !== 0) address = hops.pop()!;
  const proto = headers.forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return { address, forwardedProto: proto === 'https' || proto === 'http' ? proto : null };
}
