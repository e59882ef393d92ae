import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const preflight = 'node scripts/check-node.mjs';

/** The machine's own node(s), as a newcomer's PATH finds them without the Node 24 we run under. */
function oldNode(): { binary: string; version: string } | undefined {
  const own = dirname(process.execPath);
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && dir !== own)
    .concat('/usr/local/bin', '/usr/bin', '/bin')
    .join(delimiter);
  const found = spawnSync('which', ['-a', 'node'], { env: { PATH: path }, encoding: 'utf8' }).stdout.split('\n');
  for (const binary of found.filter(Boolean)) {
    const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (Number(version.slice(1).split('.')[0]) < 22) return { binary, version };
  }
  return undefined;
}

const old = oldNode();

describe('the Node.js version check before every command', () => {
  it('comes first in every npm script, so nothing TypeScript runs on an old Node', () => {
    for (const [name, command] of Object.entries(manifest.scripts)) {
      expect([name, command.startsWith(preflight)]).toEqual([name, true]);
    }
  });

  it('lets the Node.js we run under pass silently', () => {
    const result = spawnSync(process.execPath, ['scripts/check-node.mjs'], { cwd: root, encoding: 'utf8' });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
  });

  it.skipIf(!old)('stops the machine’s old Node.js with one line: needed, found, how to get it, exit 2', () => {
    const { binary, version } = old!;
    const result = spawnSync(binary, ['scripts/check-node.mjs'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(manifest.engines.node.replace('>=', ''));
    expect(lines[0]).toContain(version);
    expect(lines[0]).toMatch(/nodejs\.org/);
  });

  it.skipIf(!old)('makes `npm start` and `npm run cli` on the old Node.js say so instead of a stack trace', () => {
    const env = { PATH: [dirname(old!.binary), '/usr/bin', '/bin'].join(delimiter), HOME: process.env.HOME ?? '' };
    for (const script of [['start'], ['run', 'cli', '--', 'migrate']]) {
      const result = spawnSync('npm', script, { cwd: root, env, encoding: 'utf8' });
      expect([script, result.status]).toEqual([script, 2]);
      expect(result.stderr).toContain(`found ${old!.version}`);
      expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    }
  });
});
