/** Where the sync server logs (pino's shape): object first, then the message. */
export interface SyncLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}
