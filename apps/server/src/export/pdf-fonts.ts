import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts every PDF export embeds: Fira Sans, the face the web app shows (KERN), as TrueType
 * files from `@expo-google-fonts/fira-sans` (fontkit cannot subset KERN's WOFF2 files: their
 * transformed glyph tables break its encoder); each document embeds only the glyphs it uses.
 * PDF/UA forbids the unembedded standard 14 fonts.
 *
 * Parsed fonts are reused from document to document: fontkit decodes a table (cmap, GSUB, GPOS,
 * glyf offsets, metrics) on first use and keeps it, and decoding them again for every PDF was
 * about a third of a 50-page export's time and much of its garbage. What a font must not carry
 * from one document into the next is its glyph cache: fontkit creates a glyph object once with
 * the code points of its first use, and pdfkit writes those code points into the PDF's ToUnicode
 * map. Subsetting a composite glyph ("Ö" is "O" and a diaeresis) creates its components without
 * code points, so a later document that uses a plain "O" got an empty mapping and its text read
 * back wrong ("7stsee" for "Ostsee"). Each document therefore starts with an empty glyph cache,
 * which makes it byte for byte the PDF that freshly parsed fonts give, and holds its set of faces
 * alone until it is finished (two documents drawn at once in one thread take two sets).
 *
 * Shaping (OpenType substitution and positioning, word by word: pdfkit lays text out in words and
 * remembers them per document only) is remembered across documents too: it was half the time of
 * a long export. A remembered word replays the glyph look-ups its shaping made, in order, so the
 * document's glyph cache ends up as fresh shaping would leave it (see {@link rememberShaping}).
 */

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic';

export type PdfFonts = Record<FontFace, fontkit.Font>;

const files: Record<FontFace, string> = {
  regular: '400Regular/FiraSans_400Regular.ttf',
  bold: '600SemiBold/FiraSans_600SemiBold.ttf',
  italic: '400Regular_Italic/FiraSans_400Regular_Italic.ttf',
  boldItalic: '600SemiBold_Italic/FiraSans_600SemiBold_Italic.ttf',
};

/** Idle sets kept per thread; one is enough for a worker that renders one document at a time. */
const maxIdleSets = 2;

/** Words remembered per face (a 50-page protocol has a few thousand distinct ones); then it starts again. */
const maxShapedWords = 20_000;

type Position = Record<string, number>;
type GetGlyph = (id: number, codePoints?: number[]) => { id: number; advanceWidth: number };
type Layout = (text: string, features?: unknown, ...rest: unknown[]) => unknown;

interface ShapedWord {
  /** The glyph look-ups shaping made, in order: each creates a glyph (with its code points) the first time. */
  lookups: [id: number, codePoints: number[]][];
  glyphIds: number[];
  positions: Position[];
}

/**
 * Makes `font.layout` of plain text (no features) remember its result per word. pdfkit reads a
 * run's glyphs, positions (which it scales in place: every call gets fresh copies) and advance
 * width (summed from the positions when read, as fontkit's GlyphRun does).
 */
function rememberShaping(font: fontkit.Font): void {
  const target = font as unknown as { layout: Layout; getGlyph: GetGlyph };
  const layout = target.layout.bind(font);
  const getGlyph = target.getGlyph.bind(font);
  const words = new Map<string, ShapedWord>();
  target.layout = (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return layout(text, features, ...rest);
    const shaped = words.get(text);
    if (!shaped) {
      const lookups: ShapedWord['lookups'] = [];
      target.getGlyph = (id, codePoints = []) => {
        lookups.push([id, codePoints]);
        return getGlyph(id, codePoints);
      };
      try {
        const run = layout(text) as { glyphs: { id: number }[]; positions: Position[] };
        if (words.size >= maxShapedWords) words.clear();
        const positions = run.positions.map((position) => ({ ...position }));
        words.set(text, { lookups, glyphIds: run.glyphs.map((glyph) => glyph.id), positions });
        return run;
      } finally {
        target.getGlyph = getGlyph;
      }
    }
    for (const [id, codePoints] of shaped.lookups) getGlyph(id, codePoints);
    const positions = shaped.positions.map((position) => ({ ...position }));
    return {
      glyphs: shaped.glyphIds.map((id) => getGlyph(id)),
      positions,
      get advanceWidth() {
        return positions.reduce((sum, position) => sum + (position.xAdvance ?? 0), 0);
      },
    };
  };
}

let fileBytes: Record<FontFace, Uint8Array> | null = null;
const idle: PdfFonts[] = [];

function parseFonts(): PdfFonts {
  if (!fileBytes) {
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@expo-google-fonts/fira-sans/package.json'));
    fileBytes = Object.fromEntries(
      Object.entries(files).map(([face, file]) => [face, new Uint8Array(readFileSync(join(folder, file)))]),
    ) as Record<FontFace, Uint8Array>;
  }
  const fonts = Object.fromEntries(
    Object.entries(fileBytes).map(([face, bytes]) => [face, fontkit.create(Buffer.from(bytes)) as fontkit.Font]),
  ) as PdfFonts;
  for (const font of Object.values(fonts)) rememberShaping(font);
  return fonts;
}

/** A set of faces for one document, its glyph caches empty; give it back with {@link releasePdfFonts}. */
export function takePdfFonts(): PdfFonts {
  const fonts = idle.pop() ?? parseFonts();
  for (const font of Object.values(fonts)) (font as unknown as { _glyphs: object })._glyphs = {};
  return fonts;
}

/** Returns a set once its document is finished (embedded), for the next document to reuse. */
export function releasePdfFonts(fonts: PdfFonts): void {
  if (idle.length < maxIdleSets && !idle.includes(fonts)) idle.push(fonts);
}

/** The face for a run's marks. */
export function faceOf(marks: { bold?: boolean; italic?: boolean }): FontFace {
  return marks.bold ? (marks.italic ? 'boldItalic' : 'bold') : marks.italic ? 'italic' : 'regular';
}
