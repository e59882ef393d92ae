import type { ActionItem } from '../shapes/actions.ts';

/**
 * iCalendar (RFC 5545) for an action list: one VTODO per action with a due date. Text is escaped
 * (backslash, semicolon, comma, newline), lines end in CRLF and are folded at 75 octets without
 * splitting a UTF-8 character.
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

/** An action list as a calendar of to-dos; `url` links back to the list. */
export function actionsToICalendar(
  items: ActionItem[],
  options: { calendarName: string; url: string; users: ReadonlyMap<string, string>; now?: Date },
): string {
  const now = stamp(options.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nordraum//Massnahmenliste//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  lines.push(`X-WR-CALNAME:${icalText(options.calendarName)}`);
  for (const item of items) {
    if (!item.due) continue;
    const owner = item.ownerId ? options.users.get(item.ownerId) : undefined;
    const description = [
      owner ? `Verantwortlich: ${owner}` : '',
      item.organization ? `Land/Organisation: ${item.organization}` : '',
      options.url,
    ]
      .filter(Boolean)
      .join('\n');
    lines.push(
      'BEGIN:VTODO',
      `UID:${item.id}@nordraum`,
      `DTSTAMP:${now}`,
      `SUMMARY:${icalText(item.title)}`,
      `DUE;VALUE=DATE:${item.due.replaceAll('-', '')}`,
      `STATUS:${icalStatus[item.status]}`,
      `DESCRIPTION:${icalText(description)}`,
      `URL:${options.url}`,
    );
    if (item.status === 'done' && item.doneAt) lines.push(`COMPLETED:${stamp(new Date(item.doneAt))}`);
    lines.push('END:VTODO');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
