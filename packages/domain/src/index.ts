export { type AuditAction, auditActionLabels, auditActions, auditToCsv, isAuditAction } from './audit.ts';
export {
  type BodyPart,
  bodyParts,
  fromBase64,
  isRelativePosition,
  maxCommentLength,
  maxDocumentComments,
  maxSuggestionLength,
  mentionedUserIds,
  mentionToken,
  plainBody,
  type SuggestionStatus,
  suggestionStatuses,
  toBase64,
} from './comments/body.ts';
export type { Comment, MentionCandidate, Suggestion, Thread, ThreadAnchor } from './comments/comments.ts';
export * as commentSchemas from './comments/comments.ts';
export {
  defaultMailDelivery,
  type MailDelivery,
  mailDeliveries,
  type NotificationKind,
  notificationKinds,
} from './comments/notification-kinds.ts';
export type { Notification } from './comments/notifications.ts';
export * as notificationSchemas from './comments/notifications.ts';
export {
  type LocatedPassage,
  locatePassage,
  type PassageProblem,
  planSuggestion,
  type SuggestionPlan,
} from './comments/suggestions.ts';
export { AppError, type ErrorCode, errorStatus } from './errors.ts';
export {
  actionStatusLabels,
  actionsTable,
  actionsToCsv,
  csvCell,
  type ExportCell,
  type ExportNames,
  type ExportTable,
  germanDate,
  milestoneStatusLabels,
  roadmapTable,
  roadmapToCsv,
  toCsv,
} from './export/csv.ts';
export { attachmentDisposition, downloadFileName } from './export/file-name.ts';
export {
  actionsToICalendar,
  type CalendarAction,
  type CalendarMeeting,
  foldLine,
  icalText,
  meetingToICalendar,
} from './export/ical.ts';
export {
  berlinDateTime,
  berlinDay,
  type ExportHeading,
  type ExportHeadingInput,
  type ExportVersion,
  exportHeading,
} from './export/notes-heading.ts';
export { notesToMarkdown } from './export/notes-markdown.ts';
export {
  blocksText,
  type ListItem,
  type NotesBlock,
  readNotesTree,
  runsText,
  type TableCell,
  type TextRun,
  writeNotesTree,
} from './export/notes-tree.ts';
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
export { restoreUpdate, restoreUpdateOfState } from './history/restore.ts';
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
export {
  type FollowUp,
  followUpUpdate,
  type MinutesOutline,
  minutesState,
  noteHeadings,
} from './meetings/minutes.ts';
export { decisionNumber, decisionStatusLabels, decisionsToCsv, type RegisterNames } from './meetings/register.ts';
export type { Decision, DecisionQuery, Meeting, MeetingSummary } from './meetings/schemas.ts';
export * as meetingSchemas from './meetings/schemas.ts';
export { type DecisionStatus, decisionStatuses, recordableStatuses } from './meetings/statuses.ts';
export { type Action, actions, can, type Principal } from './permissions.ts';
export * as reviewSchemas from './reviews/schemas.ts';
export {
  approvalsOf,
  outcomeOf,
  type Review,
  type ReviewAnswer,
  type ReviewStatus,
  type ReviewVerdict,
  reviewLimits,
  reviewStatuses,
  reviewVerdicts,
  verdictsNeedingComment,
} from './reviews/schemas.ts';
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
  contentSearchKinds,
  documentSearchKind,
  type NameOf,
  type SearchKind,
  searchKinds,
} from './search/entries.ts';
export {
  NotesTextCache,
  notesPassages,
  type Passage,
  passageLength,
  passages,
} from './search/notes-passages.ts';
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
export { type AccessCloseCode, type CloseCode, closeCodes } from './sync/close-codes.ts';
export { builtInTemplates, findBuiltInTemplate, type Template } from './templates/built-in.ts';
export {
  type PlannedAction,
  type ProtocolActionRow,
  planProtocolActions,
  protocolActionRows,
  protocolDate,
} from './templates/protocol-actions.ts';
export { templateStart } from './templates/saved.ts';
