import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { deflated, repeatedStream, zipOf } from '../../../../tests/helpers/zip-bomb.ts';
import { ImportLimitError } from './import-limits.ts';
import { checkZip } from './zip-check.ts';

/** Info-ZIP's unzip, when the machine has it (Debian's `unzip`): a second reader besides JSZip. */
const unzipAvailable = spawnSync('unzip', ['-v']).status === 0;

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

  describe('in the zip64 form (sizes and offsets past 4 GiB), written for small entries', () => {
    const files = { 'content.xml': '<text:p>Grüße</text:p>'.repeat(2_000), 'styles.xml': '<office:styles/>' };
    const zip64 = zipOf(
      Object.entries(files).map(([name, text]) => deflated(name, text)),
      { zip64: true },
    );

    it('is a zip64 archive that JSZip and unzip read whole', async () => {
      const read = await JSZip.loadAsync(zip64, { checkCRC32: true });
      for (const [name, text] of Object.entries(files)) expect(await read.file(name)?.async('string')).toBe(text);
      // The 32-bit fields say "see the zip64 record": the readers must have taken the sizes from there.
      const end = new DataView(zip64.buffer, zip64.byteOffset + zip64.length - 22);
      expect(end.getUint32(16, true)).toBe(0xffffffff);
      if (unzipAvailable) {
        const directory = mkdtempSync(join(tmpdir(), 'zip64-'));
        try {
          writeFileSync(join(directory, 'test.zip'), zip64);
          expect(execFileSync('unzip', ['-t', join(directory, 'test.zip')], { encoding: 'utf8' })).toContain(
            'No errors detected',
          );
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      }
    });

    it('passes it and tells its unpacked size from the zip64 fields', () => {
      const size = Object.values(files).reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0);
      expect(checkZip(zip64)).toBe(size);
    });

    it('refuses a zip64 entry whose zip64 size is over the limit at once, and one that inflates past it while claiming 2 KB', () => {
      const { stored, size } = repeatedStream('a', 21);
      const honest = zipOf([{ name: 'content.xml', stored, method: 8, claimedSize: size }], { zip64: true });
      expect(() => checkZip(honest)).toThrow(ImportLimitError);
      const lying = zipOf([{ name: 'content.xml', stored, method: 8, claimedSize: 2_000 }], { zip64: true });
      expect(() => checkZip(lying)).toThrow(ImportLimitError);
    });

    it('refuses a zip64 end record that is not where its locator says', () => {
      const moved = zip64.slice();
      const locator = new DataView(moved.buffer, moved.length - 22 - 20);
      locator.setBigUint64(8, locator.getBigUint64(8, true) - 1n, true);
      expect(() => checkZip(moved)).toThrow(Error);
      expect(() => checkZip(moved)).not.toThrow(ImportLimitError);
    });
  });

  it('refuses what is no zip, and an entry of an unknown compression', () => {
    expect(() => checkZip(new TextEncoder().encode('PK nonsense'))).toThrow(Error);
    const odd = zipOf([{ ...deflated('content.xml', '<x/>'), method: 12 as 8 }]);
    expect(() => checkZip(odd)).toThrow(/compression method 12/);
  });
});
