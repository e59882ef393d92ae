/**
 * The states of a decision, which need no schema: the web app's meeting and register pages import
 * them without loading zod, which the schemas in schemas.ts need.
 */

/** Every state a decision of the register can be in. */
export const decisionStatuses = ['beschlossen', 'abgelehnt', 'zurückgestellt', 'aufgehoben'] as const;
export type DecisionStatus = (typeof decisionStatuses)[number];
/** What a new decision may be; `aufgehoben` is only ever set by a newer decision that supersedes. */
export const recordableStatuses = ['beschlossen', 'abgelehnt', 'zurückgestellt'] as const;
