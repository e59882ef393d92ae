/**
 * File names for downloads, safe on every system people open them on: no characters Windows,
 * macOS or Linux refuse or treat specially (`<>:"/\|?*`, control characters), no trailing dot or
 * space (Windows drops them), no reserved device names, at most 120 characters. The header gives
 * an ASCII name for old clients (umlauts spelt out) and the exact one by RFC 5987 / RFC 6266.
 */

const german: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };
const reserved = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A file name from its parts (list, room, date), joined by spaces and made safe; `extension` without dot. */
export function downloadFileName(parts: (string | null | undefined)[], extension: string): string {
  const stem = parts
    .filter((part): part is string => Boolean(part?.trim()))
    .join(' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
    .replace(/[. ]+$/, '');
  return `${!stem || reserved.test(stem) ? 'export' : stem}.${extension}`;
}

/** RFC 5987 `attr-char`s stay; everything else is percent-encoded from UTF-8. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A `Content-Disposition` for an attachment named `fileName` (from {@link downloadFileName}). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName
    .replace(/[äöüÄÖÜß]/g, (character) => german[character]!)
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\%]/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
