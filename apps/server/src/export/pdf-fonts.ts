import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts every PDF export embeds: Fira Sans, the face the web app shows (KERN), as TrueType
 * files from `@expo-google-fonts/fira-sans` (fontkit cannot subset KERN's WOFF2 files: their
 * transformed glyph tables break its encoder), read and parsed once per process; each document
 * embeds only the glyphs it uses. PDF/UA forbids the unembedded standard 14 fonts.
 */

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic';

const files: Record<FontFace, string> = {
  regular: '400Regular/FiraSans_400Regular.ttf',
  bold: '600SemiBold/FiraSans_600SemiBold.ttf',
  italic: '400Regular_Italic/FiraSans_400Regular_Italic.ttf',
  boldItalic: '600SemiBold_Italic/FiraSans_600SemiBold_Italic.ttf',
};

let loaded: Record<FontFace, fontkit.Font> | null = null;

/** Words shaped per face, at most this many (a long protocol has a few thousand distinct words). */
const maxCachedWords = 50_000;

/**
 * The font with its shaping remembered across documents. pdfkit lays text out word by word and
 * caches the words per document only; shaping (OpenType GSUB/GPOS) dominated the time of a long
 * export (about 1 s of 2 for 30 pages). pdfkit scales the positions it gets in place, so every
 * call gets fresh copies of the positions.
 */
function withShapingCache(font: fontkit.Font): fontkit.Font {
  type Run = { glyphs: unknown[]; positions: Record<string, number>[] };
  const cache = new Map<string, Run>();
  const layout = (text: string, features?: unknown) => {
    if (features !== undefined) return (font.layout as (t: string, f: unknown) => unknown)(text, features);
    let run = cache.get(text);
    if (!run) {
      const shaped = font.layout(text) as unknown as Run;
      run = { glyphs: shaped.glyphs, positions: shaped.positions.map((position) => ({ ...position })) };
      if (cache.size >= maxCachedWords) cache.clear();
      cache.set(text, run);
    }
    const positions = run.positions.map((position) => ({ ...position }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((sum, position) => sum + (position.xAdvance ?? 0), 0);
      },
    };
  };
  return new Proxy(font, {
    get(target, key) {
      if (key === 'layout') return layout;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The parsed faces; the first call reads the files. */
export function pdfFonts(): Record<FontFace, fontkit.Font> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@expo-google-fonts/fira-sans/package.json'));
    loaded = Object.fromEntries(
      Object.entries(files).map(([face, file]) => [
        face,
        withShapingCache(fontkit.create(readFileSync(join(folder, file))) as fontkit.Font),
      ]),
    ) as Record<FontFace, fontkit.Font>;
  }
  return loaded;
}

/** The face for a run's marks. */
export function faceOf(marks: { bold?: boolean; italic?: boolean }): FontFace {
  return marks.bold ? (marks.italic ? 'boldItalic' : 'bold') : marks.italic ? 'italic' : 'regular';
}
