/**
 * A DOCX of a given size for the import figure in bench-export.ts: a DOCX with photos added
 * (random pixels, so they do not compress, about 560 KiB each) until it reaches the size. The
 * photos are inline drawings between the paragraphs, as Word writes a pasted picture.
 */

import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import JSZip from 'jszip';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of random RGB pixels. */
export function noisePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  randomBytes(rows.length).copy(rows);
  for (let row = 0; row < height; row++) rows[row * (width * 3 + 1)] = 0;
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function drawing(id: number, relation: string): string {
  const emu = (cm: number) => Math.round(cm * 360_000);
  return `<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="${emu(16)}" cy="${emu(12)}"/><wp:docPr id="${1000 + id}" name="Foto ${id}" descr="Foto ${id} der Pinnwand"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="${1000 + id}" name="foto${id}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="${relation}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${emu(16)}" cy="${emu(12)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
}

/** `docx` with photos spread over its paragraphs until the file is at least `bytes` long. */
export async function withPhotos(docx: Uint8Array, bytes: number): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(docx);
  const photo = () => noisePng(480, 400);
  const count = Math.max(1, Math.ceil((bytes - docx.byteLength) / photo().length));
  let document = await zip.file('word/document.xml')!.async('string');
  let relations = await zip.file('word/_rels/document.xml.rels')!.async('string');
  const types = await zip.file('[Content_Types].xml')!.async('string');
  if (!types.includes('Extension="png"'))
    zip.file(
      '[Content_Types].xml',
      types.replace(/(<Types[^>]*>)/, '$1<Default Extension="png" ContentType="image/png"/>'),
    );
  // Paragraph ends to put a photo after, spread evenly through the text.
  const ends = [...document.matchAll(/<\/w:p>/g)].map((match) => match.index + '</w:p>'.length);
  const places = Array.from(
    { length: count },
    (_, index) => ends[Math.floor(((index + 1) * ends.length) / (count + 1))]!,
  );
  for (let index = count - 1; index >= 0; index--) {
    const relation = `rIdBenchPhoto${index + 1}`;
    zip.file(`word/media/bench-photo-${index + 1}.png`, photo());
    relations = relations.replace(
      '</Relationships>',
      `<Relationship Id="${relation}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/bench-photo-${index + 1}.png"/></Relationships>`,
    );
    document = document.slice(0, places[index]) + drawing(index + 1, relation) + document.slice(places[index]);
  }
  zip.file('word/document.xml', document);
  zip.file('word/_rels/document.xml.rels', relations);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
