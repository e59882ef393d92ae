import { describe, expect, it } from 'vitest';
import { type MailItem, notificationMail } from '../comments/mail-texts.ts';

const requested: MailItem = {
  kind: 'review_requested',
  actorName: 'Eva Editorin',
  data: { documentTitle: 'Roadmap 2027', reviewId: 'r1', due: '2026-03-12', excerpt: 'Bitte bis zur Sitzung prüfen.' },
  link: '/reviews/r1',
};
const decided = (outcome: string): MailItem => ({
  kind: 'review_decided',
  actorName: 'Malte',
  data: { documentTitle: 'Roadmap 2027', reviewId: 'r1', outcome },
  link: '/reviews/r1',
});

describe('review mails', () => {
  it('ask for a review with the due date and the message, in German and English', () => {
    const de = notificationMail('a@example.org', 'de', requested, 'https://nordraum.example', '2026-03-01');
    expect(de.subject).toBe('Nordraum: Eva Editorin bittet Sie bis 12.03.2026 um die Prüfung von „Roadmap 2027“');
    expect(de.text).toContain('Bitte bis zur Sitzung prüfen.');
    expect(de.text).toContain('https://nordraum.example/reviews/r1');
    const en = notificationMail('a@example.org', 'en', requested, 'https://nordraum.example', '2026-03-01');
    expect(en.subject).toBe('Nordraum: Eva Editorin asks you to review "Roadmap 2027" by 12/03/2026');
  });

  it('tell the outcome', () => {
    const subject = (outcome: string, locale: 'de' | 'en') =>
      notificationMail('a@example.org', locale, decided(outcome), 'https://x', '2026-03-01').subject;
    expect(subject('approved', 'de')).toBe('Nordraum: Die Prüfung von „Roadmap 2027“ ist abgeschlossen: freigegeben');
    expect(subject('changes_requested', 'en')).toBe(
      'Nordraum: The review of "Roadmap 2027" is closed: changes requested',
    );
    expect(subject('withdrawn', 'de')).toBe('Nordraum: Malte hat die Prüfung von „Roadmap 2027“ zurückgezogen');
  });
});
