import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the server process loads of the web app once it serves pages (apps/web/build, written by
// scripts/build.ts): it stays in memory for as long as the process runs.
const server = fileURLToPath(new URL('../../apps/web/build/server/', import.meta.url));

/**
 * What a server module loads, with everything it imports statically, transitively: the packages
 * from node_modules, and the text of the build's own modules.
 */
function staticImports(entry: string): { packages: Set<string>; texts: string[] } {
  const packages = new Set<string>();
  const texts: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    texts.push(text);
    for (const [, specifier] of text.matchAll(/^import\s+(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  };
  visit(join(server, entry));
  return { packages, texts };
}

describe("the web app's server build", () => {
  it('renders a document page without loading the editor (TipTap, ProseMirror), which only browsers run', () => {
    const { packages } = staticImports('entries/pages/documents/_documentId_/_page.svelte.js');
    // The walk reaches the page's own modules and their libraries: a broken walk must not pass.
    expect(packages).toContain('yjs');
    expect([...packages].filter((name) => /tiptap|prosemirror/.test(name))).toEqual([]);
  });

  it("renders a document page without a copy of zod (the API's schemas are the server's)", () => {
    const { texts } = staticImports('entries/pages/documents/_documentId_/_page.svelte.js');
    expect(texts.some((text) => text.includes('src/lib/comments/'))).toBe(true);
    expect(texts.filter((text) => text.includes('node_modules/zod/'))).toEqual([]);
  });

  it.each([
    ['a meeting', 'entries/pages/meetings/_meetingId_/_page.svelte.js'],
    ["a room's decision register", 'entries/pages/rooms/_roomId_/decisions/_page.svelte.js'],
  ])('renders %s page without a copy of zod', (_, entry) => {
    const { texts } = staticImports(entry);
    expect(texts.some((text) => text.includes('src/lib/meetings/DecisionTable.svelte'))).toBe(true);
    expect(texts.filter((text) => text.includes('node_modules/zod/'))).toEqual([]);
  });

  it("renders the account page without a copy of zod (its mail settings need only the kinds' names)", () => {
    const { texts } = staticImports('entries/pages/account/_page.svelte.js');
    expect(texts.some((text) => text.includes('src/lib/comments/MailPreferencesForm.svelte'))).toBe(true);
    expect(texts.filter((text) => text.includes('node_modules/zod/'))).toEqual([]);
  });

  it('holds no character outside Latin-1, so V8 keeps the modules at one byte a character', () => {
    const files = readdirSync(server, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'));
    expect(files.length).toBeGreaterThan(50);
    const wide = files.filter((name) => /[\u0100-\uffff]/.test(readFileSync(join(server, name), 'utf8')));
    expect(wide).toEqual([]);
  });
});
