import type { Transporter } from 'nodemailer';

/** One plain-text e-mail, optionally with an HTML alternative. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends e-mail; present only when the operator configured SMTP_URL. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * A mailer on an SMTP server given as `smtp://user:pass@host:port` or `smtps://...`. Nodemailer
 * (some 400 kB of code) is loaded with the first mail, not with the server.
 */
export function createSmtpMailer(url: string, from: string): Mailer {
  let transport: Promise<Transporter> | undefined;
  return {
    async send(mail) {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url));
      await (await transport).sendMail({ from, ...mail });
    },
  };
}

/** The invitation e-mail, in German with an English part, as the link page is bilingual too. */
export function invitationMail(options: {
  to: string;
  link: string;
  organization: string;
  room: string | null;
  expiresAt: Date;
}): Mail {
  const date = options.expiresAt.toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin' });
  const dateEn = options.expiresAt.toLocaleDateString('en-GB', { timeZone: 'Europe/Berlin' });
  const roomDe = options.room ? ` in den Datenraum „${options.room}“` : '';
  const roomEn = options.room ? ` to the data room "${options.room}"` : '';
  return {
    to: options.to,
    subject: 'Einladung zu Nordraum / Invitation to Nordraum',
    text: [
      `Guten Tag,`,
      '',
      `Sie wurden${roomDe} eingeladen (Organisation: ${options.organization}).`,
      `Legen Sie Ihr Konto über diesen Link an (gültig bis ${date}):`,
      '',
      options.link,
      '',
      '---',
      '',
      `You have been invited${roomEn} (organisation: ${options.organization}).`,
      `Create your account with this link (valid until ${dateEn}):`,
      '',
      options.link,
    ].join('\n'),
  };
}
