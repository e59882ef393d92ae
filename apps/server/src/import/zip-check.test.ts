import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { deflated, repeatedStream, zipOf } from '../../../../tests/helpers/zip-bomb.ts';
import { ImportLimitError } from './import-limits.ts';
import { checkZip } from './zip-check.ts';

async function jszipOf(files: Record<string, string>, comment?: string) {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) zip.file(name, text);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', ...(comment ? { comment } : {}) });
}

describe('checking a zip before it is unpacked', () => {
  it('passes a zip as JSZip writes it, with a comment after it, and tells its unpacked size', async () => {
    const files = { 'content.xml': '<text:p>Hallo</text:p>'.repeat(1_000), mimetype: 'application/x' };
    expect(checkZip(await jszipOf(files, 'Ein Kommentar'))).toBe(22_000 + 13);
  });

  it('refuses an entry that inflates past the limit although its headers claim 2 KB', () => {
    const { stored } = repeatedStream('a', 21);
    const bomb = zipOf([{ name: 'content.xml', stored, method: 8, claimedSize: 2_000 }]);
    expect(() => checkZip(bomb)).toThrow(ImportLimitError);
  });

  it('refuses bytes before the zip, which would make JSZip read other offsets than this check', async () => {
    const zip = await jszipOf({ 'content.xml': '<x/>' });
    const shifted = new Uint8Array(zip.length + 100);
    shifted.set(zip, 100);
    expect(() => checkZip(shifted)).toThrow(Error);
    expect(() => checkZip(shifted)).not.toThrow(ImportLimitError);
  });

  it('refuses what is no zip, and an entry of an unknown compression', () => {
    expect(() => checkZip(new TextEncoder().encode('PK nonsense'))).toThrow(Error);
    const odd = zipOf([{ ...deflated('content.xml', '<x/>'), method: 12 as 8 }]);
    expect(() => checkZip(odd)).toThrow(/compression method 12/);
  });
});
