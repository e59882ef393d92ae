import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files Nordraum reads at run time live: the migrations and the built web app. Found by
 * walking up from this module, so the same code works from the sources and from the bundle in
 * apps/server/dist.
 */
export function appPaths(from: string = import.meta.url) {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'drizzle', 'meta', '_journal.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the drizzle/ folder of Nordraum above the server code.');
    dir = parent;
  }
  return {
    root: dir,
    migrations: join(dir, 'drizzle'),
    webHandler: join(dir, 'apps', 'web', 'build', 'handler.js'),
  };
}
