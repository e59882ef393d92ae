export {
  createDatabaseClient,
  type Database,
  type DatabaseClient,
  type DatabaseClientOptions,
  perDatabase,
  type Queryable,
} from './client.ts';
export {
  attachEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded.ts';
export { type ListenerOptions, listenForNotifications } from './listener.ts';
export { migrationsFolder, runMigrations } from './migrate.ts';
export {
  type IndexedAction,
  listDocumentIdsOfKind,
  listMyActions,
  replaceActionIndex,
  updateActionIndex,
} from './repositories/action-index.ts';
export { type AuditFilter, type AuditRecord, listAudit, writeAudit } from './repositories/audit.ts';
export {
  calendarTokenCreatedAt,
  deleteCalendarToken,
  findCalendarTokenUser,
  renewCalendarToken,
} from './repositories/calendar-tokens.ts';
export {
  addComment,
  createThread,
  decideSuggestion,
  deleteComment,
  editComment,
  filterRoomReaders,
  findComment,
  findThread,
  listRoomReaders,
  loadThreads,
  reopenSuggestion,
  setThreadResolved,
  threadParticipants,
} from './repositories/comments.ts';
export {
  decisionNumbers,
  findDecision,
  type LinkedVersion,
  linkedVersions,
  listDecisions,
  listDecisionYears,
  type NewDecision,
  recordDecision,
  toDecision,
} from './repositories/decisions.ts';
export {
  createDocument,
  findDocument,
  listDocuments,
  toDocumentMeta,
  updateDocument,
} from './repositories/documents.ts';
export {
  completeFollowUp,
  decisionsWithPendingFollowUps,
  lockActionLists,
  type PendingFollowUp,
} from './repositories/follow-ups.ts';
export {
  type AgendaInput,
  agendaItemOf,
  createMeeting,
  documentsInRoom,
  findMeetingRow,
  listMeetings,
  listParticipants,
  loadMeeting,
  type MeetingValues,
  setMinutesDocument,
  toMeetingSummary,
  updateMeeting,
  versionDocuments,
} from './repositories/meetings.ts';
export {
  claimDigests,
  claimMailJobs,
  countUnread,
  enqueueDueReminders,
  getMailPreferences,
  insertNotifications,
  listNotifications,
  type MailJob,
  markNotificationsRead,
  type NewNotification,
  notificationLink,
  setMailPreferences,
  setMailState,
} from './repositories/notifications.ts';
export {
  createOrganization,
  defaultOrganizations,
  findOrganization,
  listOrganizations,
  seedOrganizations,
  updateOrganization,
} from './repositories/organizations.ts';
export {
  berlinToday,
  closeReview,
  copyVersion,
  createReview,
  findReview,
  listOverdueReviewIds,
  loadReviews,
  lockOpenReview,
  type NewReview,
  type ReviewFilter,
  reviewAnswers,
  setAnswer,
} from './repositories/reviews.ts';
export {
  countOwners,
  createRoom,
  findDocumentWithRoom,
  findRoomWithRole,
  getRoom,
  listGrants,
  listMembers,
  listRecentDocuments,
  listVisibleRooms,
  removeGrant,
  removeMember,
  setGrant,
  setMember,
  updateRoom,
  type Viewer,
} from './repositories/rooms.ts';
export {
  type IndexedDocument,
  listUnindexedDocuments,
  matchEnd,
  matchStart,
  type SearchHit,
  type SearchRequest,
  searchEntries,
  searchStatement,
  updateSearchEntries,
  writeSearchEntries,
} from './repositories/search.ts';
export {
  createTemplate,
  deleteTemplate,
  findTemplate,
  listTemplates,
  type NewTemplate,
  readTemplateState,
} from './repositories/templates.ts';
export {
  consumeToken,
  createToken,
  deleteInvitation,
  findInvitation,
  findUsableToken,
  listOpenInvitations,
  type TokenValues,
  toInvitation,
} from './repositories/tokens.ts';
export {
  countUsers,
  createUser,
  type DirectoryFilter,
  findCredentials,
  findUserById,
  listDirectory,
  listUsers,
  toPublicUser,
  updateUser,
} from './repositories/users.ts';
export {
  createAutoVersion,
  createVersion,
  deleteAutoVersions,
  documentsDueForVersion,
  findLatestApproval,
  findVersion,
  listAutoVersions,
  listVersions,
  listVersionsJson,
  type NewVersion,
  readVersionState,
  type VersionWrite,
  versionExists,
  withdrawVersion,
} from './repositories/versions.ts';
export * as tables from './schema.ts';
