import { inflateRawSync } from 'node:zlib';
import { ImportLimitError, importLimits } from './import-limits.ts';

/**
 * Checks, before JSZip (in mammoth, exceljs and the ODT reader) unpacks a zip, that it unpacks
 * within {@link importLimits}: a 20 MB zip can inflate to many GB, and JSZip inflates an entry
 * whole before it compares the size with the one the central directory gave. The declared sizes
 * are checked first, then each entry is inflated here under the limit and thrown away, because a
 * header can lie. That is the same work JSZip does next, on the same bytes: the central directory
 * must sit where the end record says, so JSZip reads each entry from the offset this check read.
 */

const endRecord = 0x06054b50;
const zip64EndLocator = 0x07064b50;
const zip64EndRecord = 0x06064b50;
const centralEntry = 0x02014b50;
const localHeader = 0x04034b50;
const unknown32 = 0xffffffff;

class Damaged extends Error {}

function view(bytes: Uint8Array) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Where the central directory starts, from the (zip64) end record. */
function centralDirectory(bytes: Uint8Array) {
  const data = view(bytes);
  // The last end record, as JSZip finds it; a comment may follow it (up to 64 KB).
  let end = bytes.length - 22;
  const lowest = Math.max(0, end - 0xffff);
  while (end >= lowest && data.getUint32(end, true) !== endRecord) end -= 1;
  if (end < lowest) throw new Damaged('no end of central directory');
  let size = data.getUint32(end + 12, true);
  let offset = data.getUint32(end + 16, true);
  let directoryEnd = end;
  if (end >= 20 && data.getUint32(end - 20, true) === zip64EndLocator) {
    const record = Number(data.getBigUint64(end - 20 + 8, true));
    if (record + 56 > bytes.length || data.getUint32(record, true) !== zip64EndRecord) throw new Damaged('zip64');
    size = Number(data.getBigUint64(record + 40, true));
    offset = Number(data.getBigUint64(record + 48, true));
    directoryEnd = record;
  }
  // Bytes before the zip (JSZip would shift every offset by them) are refused, see above.
  if (offset + size !== directoryEnd) throw new Damaged('central directory not where the end record says');
  return offset;
}

interface Entry {
  method: number;
  compressed: number;
  unpacked: number;
  local: number;
}

/** The sizes and local header offset of the entry at `at`, zip64 extra field included. */
function entryAt(data: DataView, at: number): Entry & { next: number } {
  const nameLength = data.getUint16(at + 28, true);
  const extraLength = data.getUint16(at + 30, true);
  const commentLength = data.getUint16(at + 32, true);
  const entry = {
    method: data.getUint16(at + 10, true),
    compressed: data.getUint32(at + 20, true),
    unpacked: data.getUint32(at + 24, true),
    local: data.getUint32(at + 42, true),
  };
  for (let field = at + 46 + nameLength; field + 4 <= at + 46 + nameLength + extraLength; ) {
    const id = data.getUint16(field, true);
    const length = data.getUint16(field + 2, true);
    if (id === 0x0001) {
      let value = field + 4;
      const next = () => {
        const read = Number(data.getBigUint64(value, true));
        value += 8;
        return read;
      };
      if (entry.unpacked === unknown32) entry.unpacked = next();
      if (entry.compressed === unknown32) entry.compressed = next();
      if (entry.local === unknown32) entry.local = next();
    }
    field += 4 + length;
  }
  return { ...entry, next: at + 46 + nameLength + extraLength + commentLength };
}

/** The entry's bytes as stored, read from behind its local header. */
function storedBytes(bytes: Uint8Array, entry: Entry): Uint8Array {
  const data = view(bytes);
  if (entry.local + 30 > bytes.length || data.getUint32(entry.local, true) !== localHeader)
    throw new Damaged('local header');
  const start = entry.local + 30 + data.getUint16(entry.local + 26, true) + data.getUint16(entry.local + 28, true);
  if (start + entry.compressed > bytes.length) throw new Damaged('entry past the end');
  return bytes.subarray(start, start + entry.compressed);
}

const tooLarge = () =>
  new ImportLimitError(
    'unpacked_too_large',
    `The file unpacks to more than ${importLimits.unpackedBytes / 1024 / 1024} MB, or one of its parts to more than ${importLimits.entryBytes / 1024 / 1024} MB.`,
  );

/** The size `entry` inflates to, at most `limit` (over it: {@link ImportLimitError}). */
function unpackedSize(bytes: Uint8Array, entry: Entry, limit: number): number {
  const stored = storedBytes(bytes, entry);
  if (entry.method === 0) return stored.length;
  if (entry.method !== 8) throw new Damaged(`compression method ${entry.method}`);
  try {
    return inflateRawSync(stored, { maxOutputLength: limit + 1 }).length;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new Damaged('entry does not inflate');
  }
}

/**
 * Throws {@link ImportLimitError} when the zip in `bytes` unpacks beyond {@link importLimits},
 * another error when it is no zip JSZip would read the same way; returns the unpacked size.
 */
export function checkZip(bytes: Uint8Array): number {
  const data = view(bytes);
  const entries: Entry[] = [];
  let declared = 0;
  // Entries are read while their signature follows, as JSZip reads them, whatever the count says.
  for (let at = centralDirectory(bytes); at + 4 <= bytes.length && data.getUint32(at, true) === centralEntry; ) {
    const { next, ...entry } = entryAt(data, at);
    declared += entry.unpacked;
    if (entry.unpacked > importLimits.entryBytes || declared > importLimits.unpackedBytes) throw tooLarge();
    entries.push(entry);
    if (entries.length > importLimits.entries)
      throw new ImportLimitError('unpacked_too_large', `The file has more than ${importLimits.entries} parts.`);
    at = next;
  }
  let unpacked = 0;
  for (const entry of entries) {
    const limit = Math.min(importLimits.entryBytes, importLimits.unpackedBytes - unpacked);
    const size = unpackedSize(bytes, entry, limit);
    if (size > limit) throw tooLarge();
    unpacked += size;
  }
  return unpacked;
}
