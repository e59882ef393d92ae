export { type AuditAction, auditActionLabels, auditActions, auditToCsv, isAuditAction } from './audit.ts';
export * as commentSchemas from './comments/comments.ts';
export {
  type BodyPart,
  bodyParts,
  type Comment,
  fromBase64,
  isRelativePosition,
  type MentionCandidate,
  maxCommentLength,
  mentionedUserIds,
  mentionToken,
  plainBody,
  type Thread,
  type ThreadAnchor,
  toBase64,
} from './comments/comments.ts';
export * as notificationSchemas from './comments/notifications.ts';
export {
  defaultMailDelivery,
  type MailDelivery,
  mailDeliveries,
  type Notification,
  type NotificationKind,
  notificationKinds,
} from './comments/notifications.ts';
export { AppError, type ErrorCode, errorStatus } from './errors.ts';
export {
  actionStatusLabels,
  actionsToCsv,
  csvCell,
  type ExportNames,
  germanDate,
  milestoneStatusLabels,
  roadmapToCsv,
  toCsv,
} from './export/csv.ts';
export { attachmentDisposition, downloadFileName } from './export/file-name.ts';
export { actionsToICalendar, type CalendarAction, foldLine, icalText } from './export/ical.ts';
export {
  compareDocs,
  compareStates,
  diffReadings,
  docOf,
  type Reading,
  readingOf,
  readingOfState,
} from './history/compare.ts';
export { notesText } from './history/render.ts';
export { planRestore, type RestorePlan, restoreUpdate } from './history/restore.ts';
export * as historySchemas from './history/schemas.ts';
export {
  type ChangeAspect,
  type ChangeItem,
  type Changes,
  type DocumentVersion,
  type FieldChange,
  type ItemChange,
  type TextChange,
  type VersionKind,
  versionKinds,
} from './history/schemas.ts';
export { defaultThinning, type ThinningRule, versionsToThin } from './history/thinning.ts';
export { type InProcessApi, inProcessApiKey } from './in-process-api.ts';
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
export {
  type ContentEntry,
  contentEntries,
  documentSearchKind,
  type NameOf,
  passageLength,
  passages,
  type SearchKind,
  searchKinds,
} from './search/entries.ts';
export { maxSearchQueryLength, type ParsedSearchQuery, parseSearchQuery } from './search/query.ts';
export {
  type ActionChanges,
  type ActionItem,
  type ActionList,
  type ActionStatus,
  actionListOf,
  actionStatuses,
  isOverdue,
  type LinkState,
  linkState,
} from './shapes/actions.ts';
export { compareCodeUnits, type FieldIssue, isIsoDate } from './shapes/fields.ts';
export { clip, type FieldLimit, fieldLimits } from './shapes/limits.ts';
export {
  agreementThemes,
  type Milestone,
  type MilestoneChanges,
  type MilestoneStatus,
  milestoneStatuses,
  type Roadmap,
  roadmapOf,
  type Theme,
} from './shapes/roadmap.ts';
export { mergeText, readText, setText, type TextAnchors, textAnchors, textChange } from './shapes/text.ts';
