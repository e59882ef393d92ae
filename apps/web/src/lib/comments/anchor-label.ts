import type { Thread } from '@nordraum/domain';
import { t } from '#lib/i18n/index.ts';

/** What a thread's card says it is about: its passage (or that it was removed), item or document. */
export function anchorLabel(thread: Thread, passageExists: boolean, itemTitle?: string): string {
  const { anchor } = thread;
  if (anchor.type === 'text') {
    const quote = anchor.quote.length > 120 ? `${anchor.quote.slice(0, 119)}…` : anchor.quote;
    // An accepted suggestion replaced its passage: that is not a removal.
    return passageExists || thread.suggestion?.status === 'accepted'
      ? t('comments.onPassage', { quote })
      : t('comments.passageRemoved', { quote });
  }
  if (anchor.type === 'milestone') return `${t('comments.onMilestone')}${itemTitle ? `: ${itemTitle}` : ''}`;
  if (anchor.type === 'action') return `${t('comments.onAction')}${itemTitle ? `: ${itemTitle}` : ''}`;
  return t('comments.onDocument');
}
