import { z } from 'zod';
import { documentKinds, roomRoles } from './roles.ts';

/**
 * Request and response schemas of the public API. The server validates with them and generates
 * `/api/openapi.json` from them; the web app derives its types from them.
 */

/**
 * Any string a client sends: at most `max` characters, no NUL (PostgreSQL cannot store it) and
 * well-formed Unicode (a lone surrogate cannot be stored as UTF-8, and JSON with one is refused by
 * PostgreSQL's jsonb, so it once failed the audit after the action). Every string field builds on it.
 */
export function plainText(max: number) {
  return z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .refine((value) => !value.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((value) => value.isWellFormed(), { message: 'must be well-formed Unicode (no lone surrogates)' });
}

/** Free text as people type it: kept verbatim, never blank, checked like {@link plainText}. */
export function text(max: number) {
  return plainText(max).refine((value) => value.trim().length > 0, { message: 'must not be empty' });
}

const codePoints = (value: string) => [...value].length;

/** E-mail addresses are compared case-insensitively, so they are stored in lower case. */
export const emailSchema = z
  .email({ message: 'must be an e-mail address' })
  .max(320)
  .transform((value) => value.toLowerCase());

/** A new password: 12 to 128 characters, used as typed (never truncated or trimmed). */
export const newPasswordSchema = plainText(1024)
  .refine((value) => codePoints(value) >= 12, { message: 'at least 12 characters' })
  .refine((value) => codePoints(value) <= 128, { message: 'at most 128 characters' });

export const roomRoleSchema = z.enum(roomRoles);
export const localeSchema = z.enum(['de', 'en']);
export const documentKindSchema = z.enum(documentKinds);
export const idSchema = z.uuid({ message: 'must be an id' });

export const loginBody = z.object({
  email: emailSchema,
  // Checked against the stored hash only; length rules apply when a password is set.
  password: plainText(1024).refine((value) => value.length > 0, { message: 'must not be empty' }),
});

export const createUserBody = z.object({
  email: emailSchema,
  name: text(200),
  organizationId: idSchema,
  password: newPasswordSchema,
  isAdmin: z.boolean().optional(),
});

export const updateUserBody = z
  .object({
    name: text(200),
    organizationId: idSchema,
    isAdmin: z.boolean(),
    disabled: z.boolean(),
  })
  .partial();

export const createRoomBody = z.object({
  name: text(200),
  description: plainText(2000).optional(),
});

export const updateRoomBody = createRoomBody.partial();

export const setRoleBody = z.object({ role: roomRoleSchema });

export const createDocumentBody = z.object({
  kind: documentKindSchema,
  title: text(200),
  /** A template of the same kind whose content the document starts with (see GET /api/templates). */
  templateId: z.string().min(1).max(100).optional(),
  /** With a protocol template: the room's action list its actions table goes into. */
  actionListId: idSchema.optional(),
});

/** Where a template comes from: shipped with Nordraum, saved for everyone, or saved in one room. */
export const templateScopeSchema = z.enum(['builtin', 'global', 'room']);

/** A template a new document can start from. */
export const template = z.object({
  id: z.string(),
  name: z.string(),
  kind: documentKindSchema,
  scope: templateScopeSchema,
});

/** `GET /api/templates`: with `room`, that room's own templates are listed too. */
export const templatesQuery = z.object({ room: idSchema.optional() });

/** Saves a document as a template: for its room (owners) or for everyone (admins). */
export const saveTemplateBody = z.object({
  name: text(200),
  scope: z.enum(['room', 'global']),
});

export const templateIdParam = z.object({ templateId: idSchema });

/** A protocol's action as it would go into an action list, with what could not be taken over. */
export const plannedAction = z.object({
  title: z.string(),
  ownerId: z.string().nullable(),
  organization: z.string().nullable(),
  due: z.string().nullable(),
  unknownOwner: z.string().nullable(),
  badDate: z.string().nullable(),
});

/** Puts a protocol's actions into the room's action list `listId`. */
export const protocolActionsBody = z.object({ listId: idSchema });

/** What putting a protocol's actions into a list did. */
export const protocolActionsResult = z.object({
  listId: z.string(),
  itemIds: z.array(z.string()),
  /** Actions already in the list (same title), not added twice. */
  skipped: z.number().int(),
});

export const updateDocumentBody = z.object({ title: text(200), archived: z.boolean() }).partial();

export const updateMeBody = z.object({ name: text(200), locale: localeSchema }).partial();

export const changePasswordBody = z.object({
  currentPassword: plainText(1024).refine((value) => value.length > 0, { message: 'must not be empty' }),
  newPassword: newPasswordSchema,
});

export const createInvitationBody = z.object({
  email: emailSchema,
  name: text(200).optional(),
  organizationId: idSchema,
  roomId: idSchema.optional(),
  role: roomRoleSchema.optional(),
});

export const acceptInvitationBody = z.object({ name: text(200), password: newPasswordSchema });

export const setPasswordBody = z.object({ password: newPasswordSchema });

export const organizationCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9.-]{1,15}$/, { message: '2 to 16 capital letters, digits, dots or hyphens' });

export const createOrganizationBody = z.object({
  code: organizationCodeSchema,
  name: text(200),
  kind: z.enum(['land', 'provider', 'other']),
});

export const updateOrganizationBody = createOrganizationBody.pick({ name: true, kind: true }).partial();

/** A one-time token from a link: base32, as the server makes them. */
export const tokenParam = z.object({ token: z.string().regex(/^[a-z2-7]{20,64}$/, { message: 'not a valid link' }) });
export const invitationIdParam = z.object({ invitationId: idSchema });
export const organizationIdParam = z.object({ organizationId: idSchema });

export const roomIdParam = z.object({ roomId: idSchema });
export const userIdParam = z.object({ userId: idSchema });
export const memberParam = z.object({ roomId: idSchema, userId: idSchema });
export const grantParam = z.object({ roomId: idSchema, organizationId: idSchema });
export const documentIdParam = z.object({ documentId: idSchema });

export const auditQuery = z.object({
  actor: idSchema.optional(),
  action: plainText(100).optional(),
  roomId: idSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The audit log filters for the CSV export: the same, with room for a whole year's entries. */
export const auditExportQuery = auditQuery.extend({
  limit: z.coerce.number().int().min(1).max(50_000).default(50_000),
});

export const listDocumentsQuery = z.object({
  archived: z.enum(['true', 'false']).optional(),
});

export const organization = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['land', 'provider', 'other']),
});

export const user = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  locale: localeSchema,
  organization: organization.pick({ id: true, code: true, name: true }),
  /** The password is a start password chosen by an administrator: change it before anything else. */
  mustChangePassword: z.boolean(),
});

export const room = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  role: roomRoleSchema.nullable(),
  organizations: z.array(organization.pick({ id: true, code: true, name: true })),
});

export const member = z.object({
  /** `email` only for owners of the room and administrators. */
  user: user.pick({ id: true, name: true, organization: true }).extend({ email: user.shape.email.optional() }),
  role: roomRoleSchema,
});

export const grant = z.object({
  organization: organization.pick({ id: true, code: true, name: true }),
  role: roomRoleSchema,
});

export const document = z.object({
  id: z.uuid(),
  roomId: z.uuid(),
  kind: documentKindSchema,
  title: z.string(),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const recentDocument = document.extend({ roomName: z.string() });

export const invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  organization: organization.pick({ id: true, code: true, name: true }),
  room: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  role: roomRoleSchema.nullable(),
  expiresAt: z.string(),
});

/** An invitation as its creator sees it once: with the link to pass on. */
export const createdInvitation = invitation.extend({ link: z.string(), mailed: z.boolean() });

export const site = z.object({ imprint: z.string().nullable(), contactEmail: z.string().nullable() });

export const auditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  roomId: z.uuid().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** Current names of actor, subject and room (null when unknown or gone). */
  actorName: z.string().nullable(),
  targetName: z.string().nullable(),
  roomName: z.string().nullable(),
});

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

export type User = z.infer<typeof user>;
export type Organization = z.infer<typeof organization>;
export type Room = z.infer<typeof room>;
export type Member = z.infer<typeof member>;
export type Grant = z.infer<typeof grant>;
export type DocumentMeta = z.infer<typeof document>;
export type AuditEntry = z.infer<typeof auditEntry>;
export type Invitation = z.infer<typeof invitation>;
export type RecentDocument = z.infer<typeof recentDocument>;

/** `GET /api/users`: without `q`, the people the caller shares a room with; with it, a search by name. */
export const directoryQuery = z.object({
  q: plainText(100)
    .transform((value) => value.trim())
    .refine((value) => value.length >= 2, { message: 'at least 2 characters' })
    .optional(),
});

/** A person as the directory shows them; the e-mail address only to administrators. */
export const directoryUser = user
  .pick({ id: true, name: true, organization: true })
  .extend({ email: z.string().optional() });
