import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeLeftUploads } from './request-body.ts';

const scratch = await mkdtemp(join(tmpdir(), 'request-body-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The number of a process that ran and has ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('uploads left behind', () => {
  it('are removed at start when their process is gone, or was this process number before a restart', async () => {
    const gone = await endedPid();
    const names = {
      gone: `nordraum-upload-${gone}-aB3dE9`,
      ownNumber: `nordraum-upload-${process.pid}-Zz0000`,
      running: `nordraum-upload-${process.ppid}-Qq1234`,
      other: 'nordraum-uploads-kept',
    };
    for (const name of Object.values(names)) {
      await mkdir(join(scratch, name));
      await writeFile(join(scratch, name, 'body'), 'Vertraulicher Entwurf');
    }
    expect(await removeLeftUploads(scratch)).toBe(2);
    expect((await readdir(scratch)).sort()).toEqual([names.running, names.other].sort());
  });
});
