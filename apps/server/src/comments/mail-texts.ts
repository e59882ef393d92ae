import type { NotificationKind } from '@nordraum/domain';

/** What a notification mail says, from a notification row's stored data. */
export interface MailItem {
  kind: NotificationKind;
  actorName: string | null;
  data: Record<string, string | null>;
  link: string;
}

type Locale = 'de' | 'en';

const quote = { de: (s: string) => `„${s}“`, en: (s: string) => `"${s}"` };

function formatDate(iso: string | null | undefined, locale: Locale) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return locale === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

function reviewOutcome(outcome: string, doc: string, who: string): Record<Locale, string> {
  if (outcome === 'approved')
    return {
      de: `Die Prüfung von ${doc} ist abgeschlossen: freigegeben`,
      en: `The review of ${doc} is closed: approved`,
    };
  if (outcome === 'withdrawn')
    return { de: `${who} hat die Prüfung von ${doc} zurückgezogen`, en: `${who} withdrew the review of ${doc}` };
  return {
    de: `Die Prüfung von ${doc} ist abgeschlossen: Änderungen verlangt`,
    en: `The review of ${doc} is closed: changes requested`,
  };
}

/** One line saying what happened, in the person's language. */
export function headline(item: MailItem, locale: Locale, today: string): string {
  const q = quote[locale];
  const who = item.actorName ?? (locale === 'de' ? 'Jemand' : 'Someone');
  const doc = q(item.data.documentTitle ?? '');
  const title = q(item.data.title ?? '');
  const due = formatDate(item.data.due, locale);
  const overdue = (item.data.due ?? '') < today;
  const lines: Record<NotificationKind, Record<Locale, string>> = {
    mention: { de: `${who} hat Sie in ${doc} erwähnt`, en: `${who} mentioned you in ${doc}` },
    reply: { de: `${who} hat in ${doc} geantwortet`, en: `${who} replied in ${doc}` },
    action_assigned: {
      de: `${who} hat Ihnen die Maßnahme ${title} zugewiesen`,
      en: `${who} assigned the action ${title} to you`,
    },
    action_due: overdue
      ? {
          de: `Die Maßnahme ${title} ist überfällig (fällig am ${due})`,
          en: `The action ${title} is overdue (due ${due})`,
        }
      : { de: `Die Maßnahme ${title} ist am ${due} fällig`, en: `The action ${title} is due on ${due}` },
    room_added: {
      de: `${who} hat Sie zum Datenraum ${q(item.data.roomName ?? '')} hinzugefügt`,
      en: `${who} added you to the data room ${q(item.data.roomName ?? '')}`,
    },
    review_requested: item.data.due
      ? {
          de: `${who} bittet Sie bis ${due} um die Prüfung von ${doc}`,
          en: `${who} asks you to review ${doc} by ${due}`,
        }
      : { de: `${who} bittet Sie um die Prüfung von ${doc}`, en: `${who} asks you to review ${doc}` },
    review_decided: reviewOutcome(item.data.outcome ?? '', doc, who),
    suggestion_decided:
      item.data.outcome === 'accepted'
        ? {
            de: `${who} hat Ihren Änderungsvorschlag in ${doc} angenommen`,
            en: `${who} accepted your suggested change in ${doc}`,
          }
        : {
            de: `${who} hat Ihren Änderungsvorschlag in ${doc} abgelehnt`,
            en: `${who} rejected your suggested change in ${doc}`,
          },
  };
  return lines[item.kind][locale];
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const texts = {
  de: {
    open: 'Öffnen',
    footer: 'Diese E-Mail schickt Nordraum. Welche E-Mails Sie bekommen, wählen Sie unter „Konto“.',
    summary: (n: number) => `Nordraum: ${n} ${n === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'} des Tages`,
  },
  en: {
    open: 'Open',
    footer: 'This e-mail comes from Nordraum. Choose which e-mails you get under "Account".',
    summary: (n: number) => `Nordraum: ${n} ${n === 1 ? 'notification' : 'notifications'} of the day`,
  },
};

function render(items: MailItem[], locale: Locale, origin: string, today: string) {
  const t = texts[locale];
  const blocks = items.map((item) => {
    const line = headline(item, locale, today);
    const excerpt = item.data.excerpt ?? null;
    return { line, excerpt, url: origin + item.link };
  });
  const text = [
    ...blocks.flatMap((b) => [b.line, ...(b.excerpt ? ['', b.excerpt] : []), '', `${t.open}: ${b.url}`, '']),
    '--',
    t.footer,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif">`,
    ...blocks.map(
      (b) =>
        `<p><strong>${escapeHtml(b.line)}</strong></p>${b.excerpt ? `<blockquote>${escapeHtml(b.excerpt)}</blockquote>` : ''}<p><a href="${escapeHtml(b.url)}">${t.open}</a></p>`,
    ),
    `<hr><p><small>${escapeHtml(t.footer)}</small></p></body></html>`,
  ].join('\n');
  return { text, html };
}

/** The mail of one notification: subject is what happened; only the recipient's address in it. */
export function notificationMail(to: string, locale: Locale, item: MailItem, origin: string, today: string) {
  return { to, subject: `Nordraum: ${headline(item, locale, today)}`, ...render([item], locale, origin, today) };
}

/** The daily summary of a person's notifications. */
export function digestMail(to: string, locale: Locale, items: MailItem[], origin: string, today: string) {
  return { to, subject: texts[locale].summary(items.length), ...render(items, locale, origin, today) };
}
