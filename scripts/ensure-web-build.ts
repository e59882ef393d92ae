/**
 * Builds the web app when its build is missing or older than its sources, so that `npm start`
 * and `npm test` work on a fresh clone without a separate build step, and cost nothing when the
 * build is current.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'apps/web/build/handler.js');
const sources = [
  'apps/web/src',
  'apps/web/static',
  'apps/web/svelte.config.js',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/domain/src',
];

function newest(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = newest(output);
const changed = Math.max(...sources.map((source) => newest(join(root, source))));
if (built === 0 || changed > built) {
  console.log(built === 0 ? 'Building the web app (first start) ...' : 'Web app sources changed: rebuilding ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '--workspace', '@nordraum/web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('Building the web app failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}
