import type { ActionItem } from '../shapes/actions.ts';

/**
 * iCalendar (RFC 5545) for actions with a due date: by default one all-day VEVENT each, which
 * every calendar program shows (Outlook and others ignore VTODO), or one VTODO each, for task
 * programs. Text is escaped (backslash, semicolon, comma, newline), lines end in CRLF and are
 * folded at 75 octets without splitting a UTF-8 character.
 */

/** Escapes a TEXT value. */
export function icalText(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line into lines of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const icalStatus = {
  open: 'NEEDS-ACTION',
  in_progress: 'IN-PROCESS',
  done: 'COMPLETED',
  blocked: 'NEEDS-ACTION',
} as const;

/** 2026-12-01 → 20261201; with `days`, that many days later (an all-day event ends the next day). */
function icalDate(isoDate: string, days = 0): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

/** One action of a calendar, with where it lives. */
export interface CalendarAction
  extends Pick<ActionItem, 'id' | 'title' | 'ownerId' | 'organization' | 'due' | 'status'> {
  doneAt?: string | null;
  /** The address of the action (its row in the list). */
  url: string;
}

/** Options for {@link actionsToICalendar}. */
export interface CalendarOptions {
  calendarName: string;
  users: ReadonlyMap<string, string>;
  /** `event` (the default): all-day VEVENTs; `todo`: VTODOs. */
  type?: 'event' | 'todo';
  now?: Date;
}

function component(item: CalendarAction, options: CalendarOptions, now: string): string[] {
  const owner = item.ownerId ? options.users.get(item.ownerId) : undefined;
  const description = [
    owner ? `Verantwortlich: ${owner}` : '',
    item.organization ? `Land/Organisation: ${item.organization}` : '',
    item.url,
  ]
    .filter(Boolean)
    .join('\n');
  const due = item.due!;
  const todo = options.type === 'todo';
  const lines = [
    todo ? 'BEGIN:VTODO' : 'BEGIN:VEVENT',
    `UID:${item.id}@nordraum`,
    `DTSTAMP:${now}`,
    `SUMMARY:${icalText(item.title)}`,
    ...(todo
      ? [`DUE;VALUE=DATE:${icalDate(due)}`, `STATUS:${icalStatus[item.status]}`]
      : [`DTSTART;VALUE=DATE:${icalDate(due)}`, `DTEND;VALUE=DATE:${icalDate(due, 1)}`, 'TRANSP:TRANSPARENT']),
    `DESCRIPTION:${icalText(description)}`,
    `URL:${item.url}`,
  ];
  if (todo && item.status === 'done' && item.doneAt) lines.push(`COMPLETED:${stamp(new Date(item.doneAt))}`);
  lines.push(todo ? 'END:VTODO' : 'END:VEVENT');
  return lines;
}

/** Actions as a calendar: one entry per action with a due date. */
export function actionsToICalendar(items: CalendarAction[], options: CalendarOptions): string {
  const now = stamp(options.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nordraum//Massnahmenliste//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icalText(options.calendarName)}`,
  ];
  for (const item of items) if (item.due) lines.push(...component(item, options, now));
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** A meeting as an invitation. */
export interface CalendarMeeting {
  id: string;
  title: string;
  startsAt: string;
  /** The end; one hour after the start when not given. */
  endsAt: string | null;
  location: string;
  agenda: string[];
  organizer: { name: string; email: string } | null;
  attendees: { name: string; email: string }[];
  /** Counts changes of time and place, so calendar programs replace their copy. */
  sequence: number;
  url: string;
}

/** One meeting as an iCalendar invitation (one VEVENT, published, times in UTC). */
export function meetingToICalendar(item: CalendarMeeting, now: Date = new Date()): string {
  const start = new Date(item.startsAt);
  const end = item.endsAt ? new Date(item.endsAt) : new Date(start.getTime() + 3_600_000);
  const description = [
    ...item.agenda.map((title, index) => `TOP ${index + 1}: ${title}`),
    item.agenda.length > 0 ? '' : undefined,
    item.url,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
  const person = (name: string, email: string) => `CN=${quotedParameter(name)}:mailto:${email}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nordraum//Sitzung//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:meeting-${item.id}@nordraum`,
    `DTSTAMP:${stamp(now)}`,
    `SEQUENCE:${item.sequence}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${icalText(item.title)}`,
    ...(item.location ? [`LOCATION:${icalText(item.location)}`] : []),
    `DESCRIPTION:${icalText(description)}`,
    `URL:${item.url}`,
    ...(item.organizer ? [`ORGANIZER;${person(item.organizer.name, item.organizer.email)}`] : []),
    ...item.attendees.map((attendee) => `ATTENDEE;ROLE=REQ-PARTICIPANT;${person(attendee.name, attendee.email)}`),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** A parameter value in double quotes (RFC 5545 3.2): quotes cannot be escaped, so they are dropped. */
function quotedParameter(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}
