import {
  claimDigests,
  claimMailJobs,
  type Database,
  enqueueDueReminders,
  type MailJob,
  notificationLink,
  setMailState,
} from '@nordraum/db';
import { berlinDay } from '@nordraum/domain';
import type { Mailer } from '../mail.ts';
import { digestMail, type MailItem, notificationMail } from './mail-texts.ts';

/** Options for {@link createNotificationJobs}. */
export interface NotificationJobsOptions {
  db: Database;
  /** Absent without SMTP_URL: then reminders are still recorded, and no mail goes out. */
  mailer?: Mailer;
  /** The origin links in mails point to. */
  publicOrigin: string;
  log: { warn(object: object, message: string): void };
  /** Mails claimed per run (20). */
  batch?: number;
  /** First retry after this many seconds, doubling per attempt up to an hour (30). */
  retryBaseSeconds?: number;
  /** Attempts before a mail is given up (8, about two hours with the default base). */
  maxAttempts?: number;
  /** Hour of the day (Europe/Berlin) for reminders and summaries (7). */
  dailyHour?: number;
}

const locale = (value: string) => (value === 'en' ? 'en' : 'de');
const berlinHour = (at = new Date()) =>
  Number(at.toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hour12: false }));

function itemOf(job: Pick<MailJob, 'row' | 'actorName'>): MailItem {
  return { kind: job.row.kind, actorName: job.actorName, data: job.row.data, link: notificationLink(job.row) };
}

/**
 * The notification mail queue and the daily jobs. Mails are sent from the `notification` rows
 * themselves (mail_state): a run claims due rows with a lease, so several instances share the
 * work, and a failure only reschedules that row, never the action that caused it.
 */
export function createNotificationJobs(options: NotificationJobsOptions) {
  const { db, log } = options;
  const retryBase = options.retryBaseSeconds ?? 30;
  const maxAttempts = options.maxAttempts ?? 8;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  async function deliver(job: MailJob) {
    if (job.delivery === 'off') return setMailState(db, [job.row.id], 'skipped');
    if (job.delivery === 'daily') return setMailState(db, [job.row.id], 'digest');
    const mail = notificationMail(
      job.email,
      locale(job.locale),
      itemOf(job),
      options.publicOrigin,
      berlinDay(new Date()),
    );
    try {
      await options.mailer!.send(mail);
      await setMailState(db, [job.row.id], 'sent');
    } catch (error) {
      const attempts = job.row.mailAttempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ err: error, notificationId: job.row.id, attempts }, 'a notification mail failed; retrying later');
      if (attempts >= maxAttempts) return setMailState(db, [job.row.id], 'failed', { error: message });
      await setMailState(db, [job.row.id], 'pending', {
        error: message,
        retryInSeconds: Math.min(retryBase * 2 ** (attempts - 1), 3_600),
      });
    }
  }

  async function sendDue() {
    if (!options.mailer) return 0;
    let sent = 0;
    for (;;) {
      const jobs = await claimMailJobs(db, options.batch ?? 20);
      for (const job of jobs) await deliver(job);
      sent += jobs.length;
      if (jobs.length < (options.batch ?? 20)) return sent;
    }
  }

  /**
   * Works the queue now. A call during a run makes it run once more after, and its promise
   * settles only after that run: a caller who just added a notification waits for it.
   */
  function run(): Promise<void> {
    if (running) {
      queued ??= running.then(() => {
        queued = undefined;
        return run();
      });
      return queued;
    }
    running = sendDue()
      .then(() => undefined)
      .catch((err) => log.warn({ err }, 'the notification mail queue could not be worked'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  /** Sends every waiting daily summary, one mail per person; failures wait for the next day. */
  async function sendDigests() {
    if (!options.mailer) return 0;
    const groups = await claimDigests(db);
    for (const group of groups) {
      const items = group.map(itemOf);
      const first = group[0]!;
      const mail = digestMail(first.email, locale(first.locale), items, options.publicOrigin, berlinDay(new Date()));
      const ids = group.map((job) => job.row.id);
      try {
        await options.mailer.send(mail);
        await setMailState(db, ids, 'sent');
      } catch (error) {
        log.warn({ err: error, count: ids.length }, 'a daily summary mail failed; it goes out with the next one');
      }
    }
    return groups.length;
  }

  /** Records due and overdue reminders (idempotent per action and day), then works the queue. */
  async function remind() {
    const added = await enqueueDueReminders(db);
    await run();
    return added;
  }

  let lastDaily = '';
  const timers: NodeJS.Timeout[] = [];
  return {
    run,
    remind,
    sendDigests,
    /** At start: reminders now; then the queue every minute (retries) and the daily work hourly. */
    start() {
      void remind().catch((err) => log.warn({ err }, 'due reminders failed'));
      const daily = async () => {
        const today = berlinDay(new Date());
        if (lastDaily === today || berlinHour() < (options.dailyHour ?? 7)) return;
        lastDaily = today;
        await remind();
        await sendDigests();
      };
      timers.push(setInterval(() => void run(), 60_000));
      timers.push(
        setInterval(() => void daily().catch((err) => log.warn({ err }, 'daily notifications failed')), 3_600_000),
      );
      for (const timer of timers) timer.unref();
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await (queued ?? running);
    },
  };
}

export type NotificationJobs = ReturnType<typeof createNotificationJobs>;
