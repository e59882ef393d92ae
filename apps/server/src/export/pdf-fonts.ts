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

/** The parsed faces; the first call reads the files. */
export function pdfFonts(): Record<FontFace, fontkit.Font> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@expo-google-fonts/fira-sans/package.json'));
    loaded = Object.fromEntries(
      Object.entries(files).map(([face, file]) => [
        face,
        fontkit.create(readFileSync(join(folder, file))) as fontkit.Font,
      ]),
    ) as Record<FontFace, fontkit.Font>;
  }
  return loaded;
}

/** The face for a run's marks. */
export function faceOf(marks: { bold?: boolean; italic?: boolean }): FontFace {
  return marks.bold ? (marks.italic ? 'boldItalic' : 'bold') : marks.italic ? 'italic' : 'regular';
}
