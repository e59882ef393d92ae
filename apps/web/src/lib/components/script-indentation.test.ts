import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Biome neither formats components nor notices when organising their imports leaves one at the
// start of a line: the script blocks of every component are checked here instead.

const source = fileURLToPath(new URL('../..', import.meta.url));

function components(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return components(path);
    return entry.name.endsWith('.svelte') ? [path] : [];
  });
}

/** Lines of a component's script blocks that are not indented, or blank but for spaces. */
function unindented(text: string): string[] {
  const found: string[] = [];
  for (const block of text.matchAll(/<script[^>]*>\n([\s\S]*?)<\/script>/g)) {
    for (const line of block[1]!.split('\n')) {
      if (line === '') continue;
      if (!line.startsWith('  ') || line.trim() === '') found.push(JSON.stringify(line));
    }
  }
  return found;
}

describe('the script blocks of components', () => {
  it('are indented throughout', () => {
    const offending = components(source).flatMap((path) =>
      unindented(readFileSync(path, 'utf8')).map((line) => `${relative(source, path)}: ${line}`),
    );
    expect(offending).toEqual([]);
  });
});
