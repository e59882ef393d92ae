export { type CloseCode, CloseConnection, closeCodes } from './close-codes.ts';
export type { ConnectionIdentity, SyncSocket } from './connection.ts';
export { type AccessEvent, createPostgresFanout, type DocumentAnnouncement, type Fanout } from './fanout.ts';
export { ConnectionCounter, defaultLimits, type SyncLimits } from './limits.ts';
export { SyncMetrics } from './metrics.ts';
export { type Access, createSyncServer, type SyncServer, type SyncServerOptions } from './server.ts';
export { applyStored, createPostgresStore, type DocumentStore } from './store.ts';
