import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts every PDF export embeds: Fira Sans, the face the web app shows (KERN), as TrueType
 * files from `@expo-google-fonts/fira-sans` (fontkit cannot subset KERN's WOFF2 files: their
 * transformed glyph tables break its encoder); each document embeds only the glyphs it uses. PDF/UA forbids the unembedded standard 14 fonts.
 */

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic';

const files: Record<FontFace, string> = {
  regular: '400Regular/FiraSans_400Regular.ttf',
  bold: '600SemiBold/FiraSans_600SemiBold.ttf',
  italic: '400Regular_Italic/FiraSans_400Regular_Italic.ttf',
  boldItalic: '600SemiBold_Italic/FiraSans_600SemiBold_Italic.ttf',
};

let files_: Record<FontFace, Uint8Array> | null = null;

/**
 * The faces for one document: the files are read once per process, the fonts parsed anew for
 * every document. fontkit keeps per-font glyph state that pdfkit's subsetting changes; a font
 * object shared between documents gave later PDFs wrong text for some glyphs (an "O" read back
 * as "-"). Parsing costs a few milliseconds per face.
 */
export function pdfFonts(): Record<FontFace, fontkit.Font> {
  if (!files_) {
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@expo-google-fonts/fira-sans/package.json'));
    files_ = Object.fromEntries(
      Object.entries(files).map(([face, file]) => [face, new Uint8Array(readFileSync(join(folder, file)))]),
    ) as Record<FontFace, Uint8Array>;
  }
  return Object.fromEntries(
    Object.entries(files_).map(([face, bytes]) => [face, fontkit.create(Buffer.from(bytes)) as fontkit.Font]),
  ) as Record<FontFace, fontkit.Font>;
}

/** The face for a run's marks. */
export function faceOf(marks: { bold?: boolean; italic?: boolean }): FontFace {
  return marks.bold ? (marks.italic ? 'boldItalic' : 'bold') : marks.italic ? 'italic' : 'regular';
}
