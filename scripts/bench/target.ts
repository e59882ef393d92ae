/** What the load phases need from a server under test, whichever protocol it speaks. */
import type * as Y from 'yjs';
import type { SyncClient } from './clients.ts';
import type { Listener } from './listeners.ts';

/**
 * How to reach a server from another thread (plain data, unlike the client functions): its
 * protocol, the websocket URL (base for y-websocket, full for Hocuspocus) and upgrade headers.
 */
export interface Endpoint {
  protocol: 'y-websocket' | 'hocuspocus';
  url: string;
  headers?: Record<string, string>;
}

/** A running server under test. */
export interface Target {
  /** Short name used in flags and tables: nordraum, y-websocket-server, hocuspocus, hocuspocus-sqlite(-each, -append). */
  name: string;
  /** The server's Node process, whose CPU and memory are measured. */
  pid: number;
  /** Root of a helper process tree measured separately (embedded PostgreSQL), if any. */
  databasePid(): number | undefined;
  /** Where documents live between loads: shown next to the cold-load figures. */
  persistence: 'memory' | 'sqlite' | 'postgres';
  /** Whether a document that every client left is dropped from memory (and reloaded on the next connect). */
  unloads: boolean;
  /** How long after the last client leaves a document is unloaded, plus a margin. */
  unloadWaitMs: number;
  /** How long after the last client leaves the server has given memory back (default unloadWaitMs + 1 s). */
  memorySettleMs?: number;
  /** Creates `count` new, empty documents and returns their names. */
  createDocuments(count: number): Promise<string[]>;
  /** Where load generator threads connect their own clients and listeners. */
  endpoint: Endpoint;
  /** Connects a full Yjs client. */
  client(docName: string, doc: Y.Doc): SyncClient;
  /** Connects a raw listener socket that reports every received update. */
  listener(docName: string, onUpdate: (update: Uint8Array) => void): Listener;
  /**
   * Serves the pages a reader opens first (where the server has a web app: Nordraum), so that its
   * memory is measured as operators' instances hold it, not as an instance that has served no page.
   */
  servePages?(): Promise<void>;
  /** Documents the server says it holds in memory, where it tells (Nordraum's /metrics). */
  documentsLoaded?(): Promise<number | undefined>;
  /** Database commits of edits so far, where the server tells (Nordraum's /metrics). */
  commits?(): Promise<number | undefined>;
  /** Seconds spent in those commits so far (a commit's round trip, PostgreSQL's fsync included). */
  commitSeconds?(): Promise<number | undefined>;
  /** Stops the server. */
  stop(): Promise<void>;
}
