import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Nordraum's tables. Singular names, snake_case columns; row types come from `$inferSelect`.
 * Times are `timestamptz` and always written by the database clock (`now()`), so several
 * instances agree on them.
 */

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const roomRole = pgEnum('room_role', ['owner', 'editor', 'commenter', 'viewer']);
export const documentKind = pgEnum('document_kind', ['notes', 'roadmap', 'actions']);
export const organizationKind = pgEnum('organization_kind', ['land', 'provider', 'other']);

export const organization = pgTable('organization', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: organizationKind('kind').notNull(),
  createdAt: createdAt(),
});

export const user = pgTable('user', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  organizationId: uuid('organization_id')
    .notNull()
    .references(() => organization.id),
  passwordHash: text('password_hash').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  locale: text('locale').notNull().default('de'),
  createdAt: createdAt(),
  /** Set when an administrator chose the password: the person must set their own first. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
});

export const session = pgTable(
  'session',
  {
    /** Public half of the token; the secret half is stored only as a SHA-256 hash. */
    id: text('id').primaryKey(),
    secretHash: bytea('secret_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('session_user_id_idx').on(table.userId)],
);

export const room = pgTable('room', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

export const roomMember = pgTable(
  'room_member',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: roomRole('role').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.userId] }), index('room_member_user_id_idx').on(table.userId)],
);

export const organizationGrant = pgTable(
  'organization_grant',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    role: roomRole('role').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.roomId, table.organizationId] }),
    index('organization_grant_organization_id_idx').on(table.organizationId),
  ],
);

export const document = pgTable(
  'document',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    kind: documentKind('kind').notNull(),
    title: text('title').notNull(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /**
     * Sequence number of the newest entry in this document's update log. Appends increment it
     * under the row lock, so per document the sequence commits in order on every instance.
     */
    updateSeq: bigint('update_seq', { mode: 'number' }).notNull().default(0),
  },
  (table) => [index('document_room_id_idx').on(table.roomId)],
);

/** The update log: every accepted Yjs update of a document, in order. */
export const docUpdate = pgTable(
  'doc_update',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    update: bytea('update').notNull(),
    /** Who sent it; kept when the account is deleted later. */
    userId: uuid('user_id'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.seq] })],
);

/** A document's state up to and including `seq`; log entries up to `seq` may be deleted. */
export const docSnapshot = pgTable('doc_snapshot', {
  documentId: uuid('document_id')
    .primaryKey()
    .references(() => document.id, { onDelete: 'cascade' }),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  state: bytea('state').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Kept when the actor is deleted later: the audit trail outlives accounts. */
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    roomId: uuid('room_id'),
    ip: text('ip'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_actor_id_idx').on(table.actorId),
    index('audit_log_room_id_idx').on(table.roomId),
  ],
);

/**
 * One row per action of every action list, kept up to date from the Yjs documents by the server
 * ("my actions" across rooms without opening every document). Derived data: it can be rebuilt
 * from the documents at any time.
 */
export const actionIndex = pgTable(
  'action_index',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    title: text('title').notNull(),
    ownerId: uuid('owner_id'),
    organization: text('organization'),
    due: date('due', { mode: 'string' }),
    status: text('status').notNull(),
    milestoneId: text('milestone_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.documentId, table.itemId] }),
    index('action_index_owner_id_idx').on(table.ownerId),
  ],
);

export const tokenKind = pgEnum('token_kind', ['invitation', 'password_reset']);

/**
 * One-time links: invitations (a new account, optionally straight into a room) and password resets.
 * Only the SHA-256 hash of the token is stored; the link is shown once to whoever created it.
 */
export const oneTimeToken = pgTable(
  'one_time_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: tokenKind('kind').notNull(),
    tokenHash: bytea('token_hash').notNull().unique(),
    email: text('email').notNull(),
    name: text('name'),
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'cascade' }),
    roomId: uuid('room_id').references(() => room.id, { onDelete: 'cascade' }),
    role: roomRole('role'),
    /** For password resets: whose password. */
    userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('one_time_token_email_idx').on(table.email)],
);

/** Fixed-window counters for rate limits, shared by every instance on the same database. */
export const rateLimit = pgTable('rate_limit', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

/**
 * Which user a Yjs client id of a document belongs to: whoever first wrote with it or spoke for it
 * in presence. Nobody else may use it afterwards, also after a restart or an unload.
 */
export const docClient = pgTable(
  'doc_client',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    /** Kept when the account is deleted later: its client ids stay taken. */
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.clientId] })],
);

export const versionKind = pgEnum('version_kind', ['manual', 'auto', 'restore', 'approved']);

/**
 * Versions of a document: complete stored states (one Yjs update each), kept apart from the update
 * log so compaction never touches them. `seq` is the log position the state covers; one automatic
 * version per document and position (the unique index), so instances sharing the database that
 * keep the same automatic version write it once.
 */
export const docVersion = pgTable(
  'doc_version',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    kind: versionKind('kind').notNull(),
    /** Set for manual and approved versions; automatic and restore versions have none. */
    name: text('name'),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /**
     * The Yjs state as one update, stored as `state_encoding` says: null, as it is (versions
     * written before 0026, which PostgreSQL compressed itself); `zstd`, one zstd frame of it,
     * compressed by the application and stored as it comes (the column's STORAGE is EXTERNAL: no
     * second compression by PostgreSQL). Read through readVersionState, which undoes it.
     */
    state: bytea('state').notNull(),
    stateEncoding: text('state_encoding', { enum: ['zstd'] }),
    /** The size of the Yjs state (uncompressed). */
    bytes: integer('bytes').notNull(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    // A document's list, newest first, in the order it is shown: read in index order, no sort.
    index('doc_version_document_listed_idx').on(
      table.documentId,
      table.createdAt.desc().nullsFirst(),
      table.seq.desc().nullsFirst(),
    ),
    uniqueIndex('doc_version_auto_seq_idx').on(table.documentId, table.seq).where(sql`kind = 'auto'`),
  ],
);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The search index: one row per findable thing (a document, a milestone, an action, later a
 * comment thread or a decision), kept up to date from the Yjs documents off the editing path.
 * Derived data: `npm run cli -- search reindex` rebuilds it. `vector` is computed by the SQL
 * function `nordraum_search_vector(title, body)` (German stemming over text with umlauts spelled
 * out), the one place that decides how text becomes searchable.
 */
export const searchEntry = pgTable(
  'search_entry',
  {
    /** `<kind>:<document id>[:<item id>]`: stable, so an entry is replaced in place. */
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').references(() => document.id, { onDelete: 'cascade' }),
    /** The milestone's or action's id inside the document; null for the document itself. */
    itemId: text('item_id'),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** Organisation code of the author or owner (an action's Land, a milestone's lead). */
    organization: text('organization'),
    vector: tsvector('vector').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** On a document's own entry: when its content was last indexed (null: never yet). */
    contentIndexedAt: timestamp('content_indexed_at', { withTimezone: true }),
  },
  (table) => [
    index('search_entry_vector_idx').using('gin', table.vector),
    index('search_entry_room_id_idx').on(table.roomId),
    // Newest first within the readable rooms: how a query that matches very much finds its candidates.
    index('search_entry_recent_idx').on(table.updatedAt.desc(), table.roomId),
    index('search_entry_document_id_idx').on(table.documentId),
  ],
);

export type OrganizationRow = typeof organization.$inferSelect;
export type UserRow = typeof user.$inferSelect;
export type SessionRow = typeof session.$inferSelect;
export type RoomRow = typeof room.$inferSelect;
export type DocumentRow = typeof document.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;

/**
 * A person's calendar subscription: the secret in the address their calendar program fetches,
 * stored only as its SHA-256 hash. One per person; renewing replaces it (the old address stops).
 */
export const calendarToken = pgTable('calendar_token', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  tokenHash: bytea('token_hash').notNull().unique(),
  createdAt: createdAt(),
});
export type DocVersionRow = typeof docVersion.$inferSelect;

/**
 * Where a comment thread sits: the whole document, a milestone, an action, or a passage of notes
 * (a pair of base64 `Y.encodeRelativePosition`s against the notes fragment, plus the quoted text,
 * shown when the passage is gone).
 */
export type ThreadAnchor =
  | { type: 'document' }
  | { type: 'milestone'; milestoneId: string }
  | { type: 'action'; actionId: string }
  | { type: 'text'; start: string; end: string; quote: string };

/** Where a suggested change stands: waiting, taken into the text, or turned down. */
export const suggestionStatus = pgEnum('suggestion_status', ['open', 'accepted', 'rejected']);

/** A comment thread on a document; authorship in columns (DSGVO export and erasure). */
export const commentThread = pgTable(
  'comment_thread',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    anchor: jsonb('anchor').$type<ThreadAnchor>().notNull(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => user.id, { onDelete: 'set null' }),
    /** A suggested change: the text proposed for the passage (null: an ordinary thread). */
    suggestionText: text('suggestion_text'),
    suggestionStatus: suggestionStatus('suggestion_status'),
    suggestionDecidedBy: uuid('suggestion_decided_by').references(() => user.id, { onDelete: 'set null' }),
    suggestionDecidedAt: timestamp('suggestion_decided_at', { withTimezone: true }),
  },
  (table) => [
    index('comment_thread_document_id_idx').on(table.documentId),
    check(
      'comment_thread_suggestion_check',
      sql`(${table.suggestionText} is null) = (${table.suggestionStatus} is null)`,
    ),
  ],
);

/** One comment of a thread: plain text, possibly with `@[Name](userId)` mention tokens. */
export const comment = pgTable(
  'comment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThread.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => user.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
  },
  (table) => [index('comment_thread_id_idx').on(table.threadId), index('comment_author_id_idx').on(table.authorId)],
);

export const notificationKind = pgEnum('notification_kind', [
  'mention',
  'reply',
  'action_assigned',
  'action_due',
  'room_added',
  'review_requested',
  'review_decided',
  'suggestion_decided',
]);
export const mailDelivery = pgEnum('mail_delivery', ['instant', 'daily', 'off']);
/** Where a notification's e-mail stands: waiting, sent, waiting for the daily summary, not wanted, given up. */
export const mailState = pgEnum('mail_state', ['pending', 'sent', 'digest', 'skipped', 'failed']);

/**
 * A person's notification, and the outgoing mail queue at once: the mail job works the rows whose
 * `mail_state` is pending (retrying with `mail_next_at`), so a failed mail never blocks what caused it.
 * `dedupe_key` makes repeated producers (daily reminders, re-indexing) idempotent per person.
 */
export const notification = pgTable(
  'notification',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kind: notificationKind('kind').notNull(),
    actorId: uuid('actor_id').references(() => user.id, { onDelete: 'set null' }),
    roomId: uuid('room_id').references(() => room.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').references(() => document.id, { onDelete: 'cascade' }),
    threadId: uuid('thread_id').references(() => commentThread.id, { onDelete: 'cascade' }),
    /** The action's item id, for action notifications. */
    itemId: text('item_id'),
    /** What the inbox and the mail show: titles and an excerpt as they were then. */
    data: jsonb('data').$type<Record<string, string | null>>().notNull().default(sql`'{}'::jsonb`),
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
    mailState: mailState('mail_state').notNull().default('pending'),
    mailAttempts: integer('mail_attempts').notNull().default(0),
    mailNextAt: timestamp('mail_next_at', { withTimezone: true }).notNull().defaultNow(),
    mailError: text('mail_error'),
  },
  (table) => [
    index('notification_user_id_idx').on(table.userId, table.createdAt),
    index('notification_mail_idx').on(table.mailState, table.mailNextAt),
    uniqueIndex('notification_dedupe_idx').on(table.userId, table.dedupeKey),
  ],
);

/** How a person wants mail per notification kind; no row means the kind's default. */
export const notificationPreference = pgTable(
  'notification_preference',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kind: notificationKind('kind').notNull(),
    delivery: mailDelivery('delivery').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.kind] })],
);

export type CommentThreadRow = typeof commentThread.$inferSelect;
export type CommentRow = typeof comment.$inferSelect;
export type NotificationRow = typeof notification.$inferSelect;

/**
 * A meeting (Sitzung) of a room: when, where (a place or a video link), who takes part, its agenda
 * and, once made, the notes document that holds its minutes. `revision` counts changes to time and
 * place, so a calendar program replaces the invitation it has (iCalendar SEQUENCE).
 */
export const meeting = pgTable(
  'meeting',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    location: text('location').notNull().default(''),
    minutesDocumentId: uuid('minutes_document_id').references(() => document.id, { onDelete: 'set null' }),
    revision: integer('revision').notNull().default(0),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('meeting_room_starts_idx').on(table.roomId, table.startsAt)],
);

/**
 * An agenda item (Tagesordnungspunkt), in order. `reviewId` names a review request; it is kept as
 * a plain uuid without a foreign key, so agendas do not depend on how reviews are stored.
 */
export const meetingAgendaItem = pgTable(
  'meeting_agenda_item',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    documentId: uuid('document_id').references(() => document.id, { onDelete: 'set null' }),
    versionId: uuid('version_id').references(() => docVersion.id, { onDelete: 'set null' }),
    reviewId: uuid('review_id'),
  },
  (table) => [index('meeting_agenda_item_meeting_idx').on(table.meetingId, table.position)],
);

export const meetingParticipant = pgTable(
  'meeting_participant',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.userId] })],
);

export const decisionStatus = pgEnum('decision_status', ['beschlossen', 'abgelehnt', 'zurückgestellt', 'aufgehoben']);

/**
 * The last decision number given per room and year. Taking a number increments this row in the
 * transaction that inserts the decision: concurrent recorders queue on the row lock, and a
 * transaction that fails gives its number back, so numbers stay unique and gap-free.
 */
export const decisionCounter = pgTable(
  'decision_counter',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.year] })],
);

/** A follow-up action a decision created: the action list and the item's id in it. */
export interface DecisionAction {
  listId: string;
  itemId: string;
}

/**
 * Follow-up actions recorded with a decision but not yet written into their action list: the
 * planned Yjs update (base64) and the ids of the items it adds. Moved into `actions` once the
 * update is in the list's log; writing it again is harmless (Yjs ignores what it has seen).
 */
export interface PendingFollowUp {
  listId: string;
  itemIds: string[];
  update: string;
}

/**
 * The decision register (Beschlussregister). Rows are never deleted; the only change after
 * recording is being superseded (status `aufgehoben`, `supersededBy` set) by a newer decision.
 */
export const decision = pgTable(
  'decision',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    text: text('text').notNull().default(''),
    status: decisionStatus('status').notNull(),
    meetingId: uuid('meeting_id').references(() => meeting.id, { onDelete: 'set null' }),
    agendaItemId: uuid('agenda_item_id').references(() => meetingAgendaItem.id, { onDelete: 'set null' }),
    versionIds: uuid('version_ids').array().notNull().default(sql`'{}'::uuid[]`),
    actions: jsonb('actions').$type<DecisionAction[]>().notNull().default(sql`'[]'::jsonb`),
    pendingFollowUps: jsonb('pending_follow_ups').$type<PendingFollowUp[]>().notNull().default(sql`'[]'::jsonb`),
    supersedes: uuid('supersedes'),
    supersededBy: uuid('superseded_by'),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('decision_room_year_seq_idx').on(table.roomId, table.year, table.seq),
    index('decision_meeting_idx').on(table.meetingId),
  ],
);
export type MeetingRow = typeof meeting.$inferSelect;
export type DecisionRow = typeof decision.$inferSelect;
export const reviewStatus = pgEnum('review_status', ['open', 'approved', 'changes_requested', 'withdrawn']);
export const reviewVerdict = pgEnum('review_verdict', ['approve', 'approve_with_remarks', 'request_changes']);

/**
 * A review of one version of a document by named reviewers. `required` null means every reviewer
 * must approve. When it closes approved, `approved_version_id` is the `approved` version kept of
 * the reviewed state (a copy, so it stays whatever happens to the reviewed version).
 */
export const review = pgTable(
  'review',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => docVersion.id, { onDelete: 'cascade' }),
    status: reviewStatus('status').notNull().default('open'),
    requestedBy: uuid('requested_by').references(() => user.id, { onDelete: 'set null' }),
    message: text('message'),
    dueDate: date('due_date', { mode: 'string' }),
    required: integer('required'),
    approvedVersionId: uuid('approved_version_id').references(() => docVersion.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    index('review_document_id_idx').on(table.documentId, table.createdAt),
    index('review_open_due_idx').on(table.dueDate).where(sql`status = 'open'`),
  ],
);

/** A reviewer of a review and their answer (verdict null until they answer). */
export const reviewReviewer = pgTable(
  'review_reviewer',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => review.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    verdict: reviewVerdict('verdict'),
    comment: text('comment'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.reviewId, table.userId] }),
    index('review_reviewer_user_id_idx').on(table.userId),
  ],
);

export type ReviewRow = typeof review.$inferSelect;

export const templateScope = pgEnum('template_scope', ['global', 'room']);

/**
 * A template saved from a document: its content as one Yjs update (the document's state when it
 * was saved), offered by "new document" for documents of the same kind. A `room` template belongs
 * to its room (`room_id`, deleted with it) and is seen only there; a `global` one is offered in
 * every room. The built-in templates are code (packages/domain), not rows.
 */
export const documentTemplate = pgTable(
  'document_template',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: documentKind('kind').notNull(),
    scope: templateScope('scope').notNull(),
    roomId: uuid('room_id').references(() => room.id, { onDelete: 'cascade' }),
    state: bytea('state').notNull(),
    /** The document it was saved from; kept as a plain id, the template outlives the document. */
    sourceDocumentId: uuid('source_document_id'),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    index('document_template_room_id_idx').on(table.roomId),
    check('document_template_room_scope', sql`(${table.scope} = 'room') = (${table.roomId} is not null)`),
    check('document_template_name_length', sql`char_length(${table.name}) between 1 and 200`),
  ],
);

export type DocumentTemplateRow = typeof documentTemplate.$inferSelect;
