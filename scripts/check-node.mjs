#!/usr/bin/env node
/**
 * Preflight of every npm script: stops with one line and exit code 2 when this Node.js cannot run
 * Nordraum. Plain JavaScript on purpose: the scripts it guards are TypeScript, which an older Node
 * cannot even parse (Node 20 dies with ERR_UNKNOWN_FILE_EXTENSION and tells a newcomer nothing).
 * The minimum is the `engines.node` range of package.json (`>=MAJOR.MINOR`), the one place it is
 * written; 22.18 is the first 22.x that runs `.ts` files without a flag.
 */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const range = String(manifest.engines?.node ?? '');
const match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
if (!match) {
  console.error(`package.json: engines.node must read ">=MAJOR.MINOR", found "${range}"`);
  process.exit(2);
}
const needed = [Number(match[1]), Number(match[2] ?? 0)];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needed[0] || (major === needed[0] && minor < needed[1])) {
  console.error(
    `Nordraum needs Node.js ${needed.join('.')} or newer (24 LTS recommended), found ${process.version} ` +
      `(${process.execPath}); install Node.js 24 LTS from https://nodejs.org/en/download ` +
      '(or `nvm install 24`) and put it first in PATH.',
  );
  process.exit(2);
}
