import { z } from 'zod';
import { changes, version } from '../history/schemas.ts';
import { idSchema, plainText } from '../schemas.ts';

/**
 * Reviews by a steering committee (Lenkungskreis): a version of a document is put to named
 * reviewers, who answer until the review closes.
 *
 * The rule, decided once here so server, web and tests agree:
 * - `required` approvals (approve or approve with remarks) close it `approved` at once; without
 *   `required`, every reviewer must approve. The reviewed state is then kept as an `approved`
 *   version (byte-identical, never thinned, never changed).
 * - A request for changes does not close it: its reviewer may still change the answer (after the
 *   document was edited, say). It closes `changes_requested` when its due date has passed with a
 *   request for changes standing and too few approvals. Without a due date it stays open until
 *   approved or withdrawn.
 * - The requester (or another editor or owner) may withdraw an open review.
 */

export const reviewStatuses = ['open', 'approved', 'changes_requested', 'withdrawn'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export const reviewVerdicts = ['approve', 'approve_with_remarks', 'request_changes'] as const;
export type ReviewVerdict = (typeof reviewVerdicts)[number];

/** Verdicts that need a comment saying what the remark or the wanted change is. */
export const verdictsNeedingComment: readonly ReviewVerdict[] = ['approve_with_remarks', 'request_changes'];

/** Length limits of a review's texts (characters). */
export const reviewLimits = { message: 2000, comment: 4000, reviewers: 50 } as const;

const isoDate = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });
const person = z.object({ id: z.uuid(), name: z.string(), organization: z.object({ code: z.string() }) });

export const answer = z.object({
  reviewer: person,
  verdict: z.enum(reviewVerdicts).nullable().describe('null while the reviewer has not answered'),
  comment: z.string().nullable(),
  at: z.string().nullable(),
});
export type ReviewAnswer = z.infer<typeof answer>;

export const review = z.object({
  id: z.uuid(),
  status: z.enum(reviewStatuses),
  documentId: z.uuid(),
  documentTitle: z.string(),
  documentKind: z.enum(['notes', 'roadmap', 'actions']),
  roomId: z.uuid(),
  roomName: z.string(),
  versionId: z.uuid(),
  versionName: z.string().nullable(),
  approvedVersionId: z.uuid().nullable(),
  requestedBy: person.nullable(),
  message: z.string().nullable(),
  dueDate: z.string().nullable(),
  rule: z.enum(['all', 'count']).describe('all reviewers must approve, or `required` of them'),
  required: z.number().int().describe('approvals that close the review approved'),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  answers: z.array(answer).describe('one per reviewer, answered or not'),
});
export type Review = z.infer<typeof review>;

export const reviewResponse = z.object({ review });
export const reviewsResponse = z.object({ reviews: z.array(review) });
export const reviewChangesResponse = z.object({
  since: version.nullable().describe('the last approved version before the review was requested'),
  changes: changes.nullable(),
});

export const createReviewBody = z.object({
  versionId: idSchema
    .optional()
    .describe('the version under review; a manual version of the current state when absent'),
  reviewerIds: z
    .array(idSchema)
    .min(1, { message: 'at least one reviewer' })
    .max(reviewLimits.reviewers, { message: `at most ${reviewLimits.reviewers} reviewers` }),
  dueDate: isoDate.optional(),
  message: plainText(reviewLimits.message).optional(),
  required: z.number().int().min(1).optional().describe('approvals needed; all reviewers when absent'),
});
export type CreateReviewBody = z.infer<typeof createReviewBody>;

export const answerBody = z
  .object({ verdict: z.enum(reviewVerdicts), comment: plainText(reviewLimits.comment).optional() })
  .refine((body) => !verdictsNeedingComment.includes(body.verdict) || (body.comment ?? '').trim().length > 0, {
    message: 'a comment is required for this verdict',
    path: ['comment'],
  });
export type AnswerBody = z.infer<typeof answerBody>;

export const reviewIdParam = z.object({ reviewId: idSchema });

/** How many approvals a review has, and whether its rule is met. */
export function approvalsOf(answers: readonly { verdict: ReviewVerdict | null }[]) {
  return answers.filter((a) => a.verdict === 'approve' || a.verdict === 'approve_with_remarks').length;
}

/**
 * What an open review's answers make of it now (`today` as YYYY-MM-DD, Europe/Berlin): approved
 * when the rule is met; changes requested once the due date has passed with a request standing;
 * otherwise still open.
 */
export function outcomeOf(
  answers: readonly { verdict: ReviewVerdict | null }[],
  required: number,
  dueDate: string | null,
  today: string,
): ReviewStatus {
  if (approvalsOf(answers) >= required) return 'approved';
  const overdue = dueDate !== null && dueDate < today;
  if (overdue && answers.some((a) => a.verdict === 'request_changes')) return 'changes_requested';
  return 'open';
}
