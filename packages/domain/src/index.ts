export { AppError, type ErrorCode, errorStatus } from './errors.ts';
export { type Action, actions, can, type Principal } from './permissions.ts';
export {
  type DocumentKind,
  documentKinds,
  type RoomRole,
  roomRoles,
  strongerRole,
} from './roles.ts';
export type {
  AuditEntry,
  DocumentMeta,
  Grant,
  Invitation,
  Member,
  Organization,
  RecentDocument,
  Room,
  User,
} from './schemas.ts';
export * as schemas from './schemas.ts';
