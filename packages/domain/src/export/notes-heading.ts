/**
 * What every exported page says about where it comes from: room, title, the version or the
 * "Stand" (date and time in Europe/Berlin, where the working groups sit), and the newest approval
 * by the steering committee when there is one. Exports are German, as the CSV exports are.
 */

/** The version an export is of, or the approval it mentions. */
export interface ExportVersion {
  name: string | null;
  kind: string;
  createdAt: string;
}

export interface ExportHeadingInput {
  title: string;
  roomName: string;
  /** The exported version; absent for the live state. */
  version?: ExportVersion | null;
  /** The newest approved version, if any. */
  approval?: ExportVersion | null;
  /** When the export is made (for the "Stand" of the live state). */
  now: Date;
}

export interface ExportHeading {
  title: string;
  roomName: string;
  /** The lines under the title: room, version or Stand, approval. */
  lines: string[];
  /** The day the export is of, `YYYY-MM-DD` in Berlin, for the file name. */
  day: string;
}

const berlin = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** 2026-12-06T22:40:00Z → "06.12.2026, 23:40 Uhr" (Berlin time). */
export function berlinDateTime(date: Date): string {
  return `${berlin.format(date)} Uhr`;
}

/** Made once: making an Intl.DateTimeFormat took 0.3 to 0.6 ms of every export request's main-thread time. */
const berlinCalendarDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });

/** The Berlin calendar day of `date` as YYYY-MM-DD. */
export function berlinDay(date: Date): string {
  return berlinCalendarDay.format(date);
}

function versionLabel(version: ExportVersion): string {
  const when = berlinDateTime(new Date(version.createdAt));
  return version.name ? `Version „${version.name}“ vom ${when}` : `Version vom ${when}`;
}

/** The heading of an export. */
export function exportHeading(input: ExportHeadingInput): ExportHeading {
  const stand = input.version ? versionLabel(input.version) : `Stand: ${berlinDateTime(input.now)}`;
  const lines = [`Datenraum: ${input.roomName}`, stand];
  if (input.approval) {
    const approval = input.approval;
    lines.push(
      `Freigegeben vom Lenkungskreis am ${berlinDateTime(new Date(approval.createdAt))}${approval.name ? ` („${approval.name}“)` : ''}`,
    );
  }
  const day = berlinDay(input.version ? new Date(input.version.createdAt) : input.now);
  return { title: input.title, roomName: input.roomName, lines, day };
}
