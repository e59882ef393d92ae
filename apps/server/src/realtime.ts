import { createDatabaseClient, type Database } from '@nordraum/db';
import {
  createPostgresFanout,
  createPostgresStore,
  createSyncServer,
  type DocumentStore,
  type SyncServerOptions,
  type SyncSettings,
} from '@nordraum/sync';
import type pg from 'pg';
import type { Logger } from 'pino';
import { createActionIndexer } from './action-index.ts';
import { retryFollowUps } from './follow-ups.ts';
import { createSearchIndexer } from './search-index.ts';
import { reauthorizer } from './sync.ts';

/** Options for {@link startRealtime}; defaults in parentheses. */
export interface RealtimeOptions {
  db: Database;
  pool: pg.Pool;
  /** The database's URL, for the fan-out's own listening connection. */
  url: string;
  log: Logger;
  instanceId: string;
  /**
   * Whether this instance announces edits and presence to others (true). False only where no
   * other instance can use the database: the embedded PostgreSQL is this process's alone.
   */
  announce?: boolean;
  /** Overrides of the sync settings (`defaultSettings` of packages/sync). */
  settings?: Partial<SyncSettings>;
  /** How long the action and search indexes wait after a change (their own defaults). */
  indexDelayMs?: number;
  /** Whether content is indexed for search (true); off only to measure its cost. */
  searchIndex?: boolean;
  /** Told when the last loaded document has unloaded (e.g. to give memory back). */
  onIdle?: () => void;
  /** Scheduling of the thread that merges version states (default nice 10; thread-priority.ts). */
  backgroundPriority?: SyncServerOptions['backgroundPriority'];
  /** Wraps the update log, e.g. to hold a load's answer back in a test (the database stays real). */
  wrapStore?: (store: DocumentStore) => DocumentStore;
  /** Wraps the access re-check, e.g. to hold its answer back in a test (the database stays real). */
  wrapReauthorize?: (check: SyncServerOptions['reauthorize']) => SyncServerOptions['reauthorize'];
}

/**
 * Wires realtime editing: the fan-out between instances, the update log, the sync server, and the
 * action and search indexes it feeds. One function for the server and its tests, so that both
 * run the same wiring.
 */
export async function startRealtime(options: RealtimeOptions) {
  const { db, pool, instanceId, announce = true } = options;
  const syncLog = options.log.child({ component: 'sync' });
  const fanout = await createPostgresFanout({ url: options.url, pool, instanceId, log: syncLog, announce });
  const indexer = createActionIndexer({
    db,
    sync: () => sync,
    delayMs: options.indexDelayMs,
    log: options.log.child({ component: 'action-index' }),
  });
  // The search index writes over a connection of its own: it never waits for, nor holds, one the
  // update log needs for an append.
  const searchClient = createDatabaseClient({
    url: options.url,
    max: 1,
    onError: (err) => options.log.warn({ err }, 'idle search index connection failed'),
  });
  const search = createSearchIndexer({
    db: searchClient.db,
    read: () => sync.readDocument,
    delayMs: options.indexDelayMs,
    enabled: options.searchIndex,
    log: options.log.child({ component: 'search-index' }),
  });
  const store = createPostgresStore({
    pool,
    instanceId,
    announce,
    onBatch: (seconds, _size, overlapped) => {
      sync.metrics.persistBatchSeconds.observe(seconds);
      if (overlapped) sync.metrics.overlappedBatches += 1;
    },
  });
  const wrapStore = options.wrapStore ?? ((wrapped) => wrapped);
  const wrapReauthorize = options.wrapReauthorize ?? ((wrapped) => wrapped);
  const sync = createSyncServer({
    onChange: (documentId, transaction) => {
      indexer.changed(documentId);
      search.changed(documentId, transaction);
    },
    onIdle: options.onIdle,
    store: wrapStore(store),
    fanout,
    reauthorize: wrapReauthorize(reauthorizer(db)),
    instanceId,
    settings: options.settings,
    backgroundPriority: options.backgroundPriority,
    log: syncLog,
  });
  sync.onAccessEvent((event) => search.accessChanged(event));
  // Decisions whose follow-up actions a failure (or a stop) left unwritten get them now.
  const followUps = retryFollowUps(db, sync, options.log.child({ component: 'follow-ups' })).catch((error) => {
    options.log.error({ err: error }, 'pending follow-up actions could not be read');
    return -1;
  });
  return {
    sync,
    /** Resolves when the start-up's pending follow-up actions are written: how many still fail (-1: not read). */
    followUps,
    /** The update log itself (unwrapped), e.g. for seeding demo data. */
    store,
    indexer,
    search,
    /** Stops the indexes, then the sync server (sockets close with 1012), then the fan-out. */
    async stop() {
      await followUps;
      indexer.stop();
      await search.stop();
      await searchClient.close();
      await sync.shutdown();
      await fanout.close();
    },
  };
}

/** Realtime editing as {@link startRealtime} wired it. */
export type Realtime = Awaited<ReturnType<typeof startRealtime>>;
