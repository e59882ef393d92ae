/**
 * Every setting of the sync server with its default, in one object (`defaultSettings`). The
 * composition root and the tests override single values; nothing else restates a default.
 *
 * The limits are far above what a person in a browser does (one sync request per connect, one
 * client id per tab, a few messages per second while typing) and far below what a loop can send.
 */
export interface SyncSettings {
  /** Frames per second one connection may send, sustained (200). */
  framesPerSecond: number;
  /** Frames one connection may send at once before the rate applies (400). */
  burst: number;
  /** Frames held back beyond the rate; more close the connection with 1013 (1_000). */
  maxQueuedFrames: number;
  /** Bytes of frames held back beyond the rate; more close the connection with 1013 (16 MiB). */
  maxQueuedBytes: number;
  /** Bytes waiting to be sent to a peer; a peer further behind is not reading: closed with 1013 (16 MiB). */
  maxBufferedBytes: number;
  /** Largest websocket frame accepted, in bytes; the socket server enforces it (8 MiB). */
  maxMessageBytes: number;
  /** Largest awareness state of one client, in bytes (65_536). */
  maxAwarenessBytes: number;
  /** A sync request (step 1) within this time of the last answered one is answered once, at its end (1_000 ms). */
  syncRequestIntervalMs: number;
  /** Yjs client ids one connection may speak for; a stock client speaks for one (4). */
  maxClientIdsPerConnection: number;
  /** A ping this often; a connection that answered none since the last one is dropped (30_000 ms). */
  heartbeatMs: number;
  /** Open connections of one user, over all their devices and tabs (50). */
  maxConnectionsPerUser: number;
  /** Open connections from one address: a whole office behind one NAT or proxy (200). */
  maxConnectionsPerAddress: number;
  /** How long a document stays loaded after its last connection closed (30_000 ms). */
  unloadDelayMs: number;
  /** Log entries after which a loaded document is compacted (500). */
  compactAfter: number;
  /** How long a gap in the sequence may stay open before the log is read (250 ms). */
  gapRepairMs: number;
  /** Every connection's session and role are checked again this often, for expiry (60_000 ms). */
  recheckIntervalMs: number;
  /**
   * How long an upgrade's access answer is reused for the same session and document (1_000 ms).
   * Any access event empties the cache, so this only bounds how stale an answer can be when an
   * event is lost (the listener reconnecting); the minutely re-check covers expiry as before.
   */
  accessCacheMs: number;
}

/** The defaults of {@link SyncSettings}. */
export const defaultSettings: Readonly<SyncSettings> = {
  framesPerSecond: 200,
  burst: 400,
  maxQueuedFrames: 1_000,
  maxQueuedBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxMessageBytes: 8 * 1024 * 1024,
  maxAwarenessBytes: 65_536,
  syncRequestIntervalMs: 1_000,
  maxClientIdsPerConnection: 4,
  heartbeatMs: 30_000,
  maxConnectionsPerUser: 50,
  maxConnectionsPerAddress: 200,
  unloadDelayMs: 30_000,
  compactAfter: 500,
  gapRepairMs: 250,
  recheckIntervalMs: 60_000,
  accessCacheMs: 1_000,
};

/** The settings with `overrides` applied; undefined values keep the default. */
export function resolveSettings(overrides: Partial<SyncSettings> = {}): SyncSettings {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaultSettings, ...Object.fromEntries(defined) };
}
