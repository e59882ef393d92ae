import type { ServerOptions } from 'node:http';

/** Time limits of the HTTP server; see {@link httpServerOptions}. */
export interface HttpTimeouts {
  /** Whole request (headers and body) must arrive within this; default 30 s. */
  requestTimeoutMs: number;
  /** Request headers must arrive within this; default 15 s. */
  headersTimeoutMs: number;
}

/** The defaults: a 1 MiB body arrives in 30 s at 35 KB/s, slower than any office line. */
export const defaultHttpTimeouts: HttpTimeouts = { requestTimeoutMs: 30_000, headersTimeoutMs: 15_000 };

/**
 * Options for Node's HTTP server so a client that sends its request slowly (a byte a second, or
 * nothing after the headers) cannot hold a connection for minutes: Node answers 408 and closes it.
 * Both limits end when the request has arrived, so long answers (an export) and websockets, whose
 * upgrade request is complete after its headers, are never cut. Node checks the limits on a timer,
 * so its interval is a fraction of the smaller one.
 */
export function httpServerOptions(timeouts: Partial<HttpTimeouts> = {}): ServerOptions {
  const { requestTimeoutMs, headersTimeoutMs } = { ...defaultHttpTimeouts, ...timeouts };
  const headers = Math.min(headersTimeoutMs, requestTimeoutMs);
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: headers,
    connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(headers / 4))),
  };
}
