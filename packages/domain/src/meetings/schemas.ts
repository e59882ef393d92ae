import { z } from 'zod';
import { idSchema, plainText, text } from '../schemas.ts';
import { isIsoDate } from '../shapes/fields.ts';
import { decisionStatuses, recordableStatuses } from './statuses.ts';

/**
 * The API shapes of a room's meetings (Sitzungen) and its decision register (Beschlussregister).
 * Kept apart from ../schemas.ts so the feature stays in one folder; exported through the package root.
 */

/** A calendar day, YYYY-MM-DD, that exists. */
const isoDay = z.string().refine(isIsoDate, { message: 'must be a date (YYYY-MM-DD)' });
const dateTime = z.iso.datetime({ offset: true, message: 'must be a date and time (ISO 8601)' });

export const meetingLimits = { title: 200, location: 500, agendaItems: 50, participants: 200 } as const;

export const agendaItemInput = z.object({
  id: idSchema.optional().describe('keeps an existing item (and the decisions recorded under it)'),
  title: text(meetingLimits.title),
  documentId: idSchema.nullish(),
  versionId: idSchema.nullish(),
  reviewId: idSchema.nullish(),
});

export const createMeetingBody = z.object({
  title: text(meetingLimits.title),
  startsAt: dateTime,
  endsAt: dateTime.nullish(),
  location: plainText(meetingLimits.location).optional().describe('a place or a video link'),
  agenda: z.array(agendaItemInput).max(meetingLimits.agendaItems).default([]),
  participantIds: z.array(idSchema).max(meetingLimits.participants).optional(),
});
export type CreateMeetingBody = z.infer<typeof createMeetingBody>;

export const updateMeetingBody = createMeetingBody.partial();
export type UpdateMeetingBody = z.infer<typeof updateMeetingBody>;

const person = z.object({
  id: z.uuid(),
  name: z.string(),
  organization: z.object({ code: z.string(), name: z.string() }),
});

export const agendaItem = z.object({
  id: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  documentId: z.uuid().nullable(),
  documentTitle: z.string().nullable(),
  versionId: z.uuid().nullable(),
  versionName: z.string().nullable(),
  reviewId: z.uuid().nullable(),
});

export const meeting = z.object({
  id: z.uuid(),
  roomId: z.uuid(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  location: z.string(),
  minutesDocumentId: z.uuid().nullable(),
  agenda: z.array(agendaItem),
  participants: z.array(person),
  createdAt: z.string(),
});
export type Meeting = z.infer<typeof meeting>;

export const meetingSummary = meeting.pick({
  id: true,
  roomId: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  minutesDocumentId: true,
});
export type MeetingSummary = z.infer<typeof meetingSummary>;

export const meetingIdParam = z.object({ meetingId: idSchema });

export { type DecisionStatus, decisionStatuses, recordableStatuses } from './statuses.ts';

export const decisionLimits = { title: 300, text: 20_000, actions: 20, versions: 20, query: 200 } as const;

export const followUpInput = z.object({
  listId: idSchema,
  title: text(200),
  ownerId: idSchema.nullish(),
  organization: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9.-]{1,15}$/, { message: '2 to 16 capital letters, digits, dots or hyphens' })
    .nullish(),
  due: isoDay.nullish(),
});

export const createDecisionBody = z.object({
  title: text(decisionLimits.title),
  text: plainText(decisionLimits.text).default(''),
  date: isoDay,
  status: z.enum(recordableStatuses),
  meetingId: idSchema.nullish(),
  agendaItemId: idSchema.nullish(),
  versionIds: z.array(idSchema).max(decisionLimits.versions).default([]),
  actions: z.array(followUpInput).max(decisionLimits.actions).default([]),
  supersedes: idSchema.nullish().describe('the decision this one replaces; it becomes `aufgehoben`'),
});
export type CreateDecisionBody = z.infer<typeof createDecisionBody>;

export const decision = z.object({
  id: z.uuid(),
  number: z.string().describe('unique and gap-free per room and year, e.g. LK-2026-007'),
  date: z.string(),
  title: z.string(),
  text: z.string(),
  status: z.enum(decisionStatuses),
  meetingId: z.uuid().nullable(),
  agendaItemId: z.uuid().nullable(),
  versionIds: z.array(z.uuid()),
  versions: z
    .array(
      z.object({
        id: z.uuid(),
        documentId: z.uuid(),
        documentTitle: z.string(),
        kind: z.enum(['manual', 'auto', 'restore', 'approved']),
        name: z.string().nullable(),
        createdAt: z.string(),
      }),
    )
    .describe('the linked versions with their document, in the order of `versionIds`'),
  actionIds: z.array(z.string()),
  actions: z.array(z.object({ listId: z.uuid(), itemId: z.string() })),
  pendingActions: z
    .number()
    .int()
    .describe('follow-up actions recorded but not yet written into their list (they are written again on start-up)'),
  supersedes: z.uuid().nullable(),
  supersededBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type Decision = z.infer<typeof decision>;

export const decisionQuery = z.object({
  year: z.coerce.number().int().min(1900).max(9999).optional(),
  status: z.enum(decisionStatuses).optional(),
  q: plainText(decisionLimits.query).optional(),
  meetingId: idSchema.optional(),
});
export type DecisionQuery = z.infer<typeof decisionQuery>;

export const decisionExportQuery = decisionQuery.omit({ meetingId: true }).extend({
  format: z.enum(['csv', 'pdf']).default('csv').describe('CSV (the default) or a tagged PDF'),
});
