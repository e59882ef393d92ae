import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Zip files built by hand for tests of what an import refuses: entries of any size from a few KB
 * of deflate, and central directory sizes that lie. Nothing of it is kept in the repository.
 */

/** One entry: its name, its bytes as stored, how they are stored, and the sizes the zip claims. */
export interface ZipEntry {
  name: string;
  stored: Uint8Array;
  method: 0 | 8;
  /** The unpacked size the headers give; by default the true one (see {@link deflated}). */
  claimedSize: number;
  /** The CRC-32 of the unpacked bytes, when known (unzip checks it, the import's readers do not). */
  crc?: number;
}

/** An entry deflated from `text` (or bytes), with its true size. */
export function deflated(name: string, content: string | Uint8Array): ZipEntry {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, stored: deflateRawSync(bytes), method: 8, claimedSize: bytes.length, crc: crc32(bytes) };
}

/**
 * A deflate stream that unpacks to `megabytes` MB of `unit` repeated, made of one flushed block
 * repeated: a 1 GB entry costs about a megabyte here, and no gigabyte is ever held by the test.
 */
export function repeatedStream(unit: string, megabytes: number): { stored: Uint8Array; size: number } {
  const block = new TextEncoder().encode(unit.repeat(Math.ceil((1024 * 1024) / unit.length)).slice(0, 1024 * 1024));
  // A block that ends with a sync flush ends on a byte boundary and refers to nothing before it
  // (every back reference is into the same repeated text), so copies of it can be joined.
  const flushed = deflateRawSync(block, { finishFlush: constants.Z_SYNC_FLUSH });
  const end = Uint8Array.of(0x03, 0x00); // an empty final block
  const stored = new Uint8Array(flushed.length * megabytes + end.length);
  for (let index = 0; index < megabytes; index += 1) stored.set(flushed, index * flushed.length);
  stored.set(end, flushed.length * megabytes);
  return { stored, size: block.length * megabytes };
}

/**
 * A zip of `entries` (CRCs where an entry has one: the import's readers do not check them). With `zip64`, in the form a writer
 * uses past 4 GiB or 65,535 entries, on small entries: every size and offset in the central
 * directory is 0xFFFFFFFF and given in the entry's zip64 field, and the end record points to a
 * zip64 end record, which gives the central directory's size and place.
 */
export function zipOf(entries: ZipEntry[], { zip64 = false } = {}): Uint8Array {
  const unknown32 = 0xffffffff;
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, zip64 ? 45 : 20, true);
    local.setUint16(8, entry.method, true);
    local.setUint32(14, entry.crc ?? 0, true);
    local.setUint32(18, entry.stored.length, true);
    local.setUint32(22, entry.claimedSize, true);
    local.setUint16(26, name.length, true);
    // The zip64 field of the central directory: unpacked size, stored size, local header offset.
    const extra = new DataView(new ArrayBuffer(zip64 ? 28 : 0));
    if (zip64) {
      extra.setUint16(0, 0x0001, true);
      extra.setUint16(2, 24, true);
      extra.setBigUint64(4, BigInt(entry.claimedSize), true);
      extra.setBigUint64(12, BigInt(entry.stored.length), true);
      extra.setBigUint64(20, BigInt(offset), true);
    }
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, zip64 ? 45 : 20, true);
    central.setUint16(6, zip64 ? 45 : 20, true);
    central.setUint16(10, entry.method, true);
    central.setUint32(16, entry.crc ?? 0, true);
    central.setUint32(20, zip64 ? unknown32 : entry.stored.length, true);
    central.setUint32(24, zip64 ? unknown32 : entry.claimedSize, true);
    central.setUint16(28, name.length, true);
    central.setUint16(30, extra.byteLength, true);
    central.setUint32(42, zip64 ? unknown32 : offset, true);
    parts.push(new Uint8Array(local.buffer), name, entry.stored);
    directory.push(new Uint8Array(central.buffer), name, new Uint8Array(extra.buffer));
    offset += 30 + name.length + entry.stored.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  const tail: Uint8Array[] = [];
  if (zip64) {
    const record = new DataView(new ArrayBuffer(56));
    record.setUint32(0, 0x06064b50, true);
    record.setBigUint64(4, 44n, true);
    record.setUint16(12, 45, true);
    record.setUint16(14, 45, true);
    record.setBigUint64(24, BigInt(entries.length), true);
    record.setBigUint64(32, BigInt(entries.length), true);
    record.setBigUint64(40, BigInt(directorySize), true);
    record.setBigUint64(48, BigInt(offset), true);
    const locator = new DataView(new ArrayBuffer(20));
    locator.setUint32(0, 0x07064b50, true);
    locator.setBigUint64(8, BigInt(offset + directorySize), true);
    locator.setUint32(16, 1, true);
    tail.push(new Uint8Array(record.buffer), new Uint8Array(locator.buffer));
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, zip64 ? 0xffff : entries.length, true);
  end.setUint16(10, zip64 ? 0xffff : entries.length, true);
  end.setUint32(12, zip64 ? unknown32 : directorySize, true);
  end.setUint32(16, zip64 ? unknown32 : offset, true);
  return new Uint8Array(Buffer.concat([...parts, ...directory, ...tail, new Uint8Array(end.buffer)]));
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const rootRelations = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** The XML of a DOCX body: `<w:document><w:body>` + `inner` + its end. */
export const docxDocument = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${inner}</w:body></w:document>`;

/** A DOCX whose word/document.xml is `document` (an entry), with `more` entries beside it. */
export function docxOf(document: ZipEntry, more: ZipEntry[] = []): Uint8Array {
  return zipOf([
    deflated('[Content_Types].xml', contentTypes),
    deflated('_rels/.rels', rootRelations),
    document,
    ...more,
  ]);
}
