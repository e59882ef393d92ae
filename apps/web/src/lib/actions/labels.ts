import { type ActionStatus, actionStatuses } from '@nordraum/domain';
import { t } from '#lib/i18n/index.ts';

/** The translated name of an action status; unknown values (from the index) are shown as they are. */
export function actionStatusLabel(status: string): string {
  return (actionStatuses as readonly string[]).includes(status)
    ? t(`actions.status.${status as ActionStatus}`)
    : status;
}

/** Symbols that go with the status words, so the status never rests on colour. */
export const actionStatusGlyph: Record<ActionStatus, string> = {
  open: '○',
  in_progress: '▶',
  done: '✓',
  blocked: '✕',
};

/** Options for a status select. */
export const actionStatusOptions = () => actionStatuses.map((value) => ({ value, label: actionStatusLabel(value) }));
