import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Test helpers that read exported files back with independent readers. */

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

/** An ODT package opened: its entries, parsed content.xml, and the text of its paragraphs and headings. */
export async function readOdt(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const entries = Object.keys(zip.files);
  const xml: Record<string, string> = {};
  for (const name of ['content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'])
    xml[name] = (await zip.file(name)?.async('string')) ?? '';
  const valid = Object.fromEntries(Object.entries(xml).map(([name, text]) => [name, XMLValidator.validate(text)]));
  const content = parser.parse(xml['content.xml']!) as XmlNode[];
  const lines: string[] = [];
  const elements: { name: string; attributes: Record<string, string> }[] = [];
  walk(content, lines, elements);
  return { entries, xml, valid, lines, elements, mimetype: await zip.file('mimetype')?.async('string') };
}

function nameOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ':@')!;
}

function walk(nodes: XmlNode[], lines: string[], elements: { name: string; attributes: Record<string, string> }[]) {
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') continue;
    elements.push({ name, attributes: node[':@'] ?? {} });
    const children = node[name] as XmlNode[];
    if (name === 'text:p' || name === 'text:h') {
      lines.push(inlineText(children));
      collect(children, elements);
    } else walk(children, lines, elements);
  }
}

function collect(nodes: XmlNode[], elements: { name: string; attributes: Record<string, string> }[]) {
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === '#text') continue;
    elements.push({ name, attributes: node[':@'] ?? {} });
    collect(node[name] as XmlNode[], elements);
  }
}

function inlineText(nodes: XmlNode[]): string {
  return nodes
    .map((node) => {
      const name = nameOf(node);
      if (name === '#text') return String(node['#text']);
      if (name === 'text:line-break') return '\n';
      if (name === 'text:s') return ' '.repeat(Number(node[':@']?.['text:c'] ?? 1));
      return inlineText(node[name] as XmlNode[]);
    })
    .join('');
}

/** A PDF read with pdf.js: metadata, structure roles, and the text outside artifacts and list labels. */
export async function readPdf(bytes: Uint8Array) {
  const task = getDocument({ data: bytes.slice(), useSystemFonts: false });
  const pdf = await task.promise;
  const metadata = await pdf.getMetadata();
  const markInfo = await pdf.getMarkInfo();
  const roles = new Set<string>();
  const alts: string[] = [];
  const words: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    collectRoles(await page.getStructTree(), roles, alts);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const skip: boolean[] = [];
    for (const item of content.items as { type?: string; tag?: string; str?: string; hasEOL?: boolean }[]) {
      if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
        skip.push(item.tag === 'Artifact' || item.tag === 'Lbl' || skip.at(-1) === true);
      } else if (item.type === 'endMarkedContent') skip.pop();
      else if (typeof item.str === 'string' && !skip.at(-1)) words.push(item.str, item.hasEOL ? ' ' : '');
    }
  }
  const raw = Buffer.from(bytes).toString('latin1');
  const pages = pdf.numPages;
  await task.destroy();
  return {
    pages,
    info: metadata.info as Record<string, unknown>,
    // pdf.js answers with a Map in Node.
    marked: (markInfo as unknown as Map<string, unknown> | null)?.get('Marked') === true,
    roles,
    /** Alternative texts of structure elements (figures, check boxes). */
    alts: [...new Set(alts)],
    text: normalise(words.join('')),
    raw,
  };
}

type StructNode = { role?: string; alt?: string; children?: unknown[] };

function collectRoles(node: StructNode | null, roles: Set<string>, alts: string[]) {
  if (!node) return;
  if (node.role) roles.add(node.role);
  if (node.alt) alts.push(node.alt);
  for (const child of node.children ?? []) collectRoles(child as StructNode, roles, alts);
}

/** Collapses whitespace, as text extracted from a laid-out page has other line ends than the source. */
export function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Converts a file to plain text with LibreOffice headless (see {@link hasSoffice}). */
export function sofficeText(bytes: Uint8Array, extension: string): Promise<string> {
  return sofficeConvert(bytes, extension, 'txt:Text (encoded):UTF8', 'txt');
}

/** Converts a spreadsheet's first sheet to CSV (comma, double quotes, UTF-8) with LibreOffice Calc. */
export function sofficeCsv(bytes: Uint8Array, extension: string): Promise<string> {
  return sofficeConvert(bytes, extension, 'csv:Text - txt - csv (StarCalc):44,34,76', 'csv');
}

async function sofficeConvert(bytes: Uint8Array, extension: string, filter: string, output: string) {
  const folder = await mkdtemp(join(tmpdir(), 'nordraum-soffice-'));
  try {
    const input = join(folder, `input.${extension}`);
    await writeFile(input, bytes);
    await promisify(execFile)(
      'soffice',
      [
        `-env:UserInstallation=file://${folder}/profile`,
        '--headless',
        '--convert-to',
        filter,
        '--outdir',
        folder,
        input,
      ],
      { timeout: 120_000 },
    );
    return (await readFile(join(folder, `input.${output}`), 'utf8')).replace(/^\uFEFF/, '');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Whether LibreOffice Calc is installed (Debian's libreoffice-calc-nogui), for spreadsheet conversions. */
export async function hasSofficeCalc(): Promise<boolean> {
  if (!(await hasSoffice())) return false;
  try {
    await promisify(execFile)('sh', ['-c', 'ls "$(dirname "$(readlink -f "$(command -v soffice)")")"/libsclo.so']);
    return true;
  } catch {
    return false;
  }
}

/** A cell of an ODS sheet as written: its value type, date value and shown text. */
export interface OdsCell {
  type: string | undefined;
  dateValue: string | undefined;
  text: string;
}

/** An ODS package opened: entries, mimetype, whether each part is well-formed XML, and the first sheet's rows. */
export async function readOds(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const entries = Object.keys(zip.files);
  const xml: Record<string, string> = {};
  for (const name of ['content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'])
    xml[name] = (await zip.file(name)?.async('string')) ?? '';
  const valid = Object.fromEntries(Object.entries(xml).map(([name, text]) => [name, XMLValidator.validate(text)]));
  const rows: OdsCell[][] = [];
  const find = (nodes: XmlNode[], wanted: string): XmlNode | undefined => {
    for (const node of nodes) {
      const name = nameOf(node);
      if (name === wanted) return node;
      if (name !== '#text') {
        const found = find(node[name] as XmlNode[], wanted);
        if (found) return found;
      }
    }
  };
  const sheet = find(parser.parse(xml['content.xml']!) as XmlNode[], 'table:table');
  const collectRows = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const name = nameOf(node);
      if (name === 'table:table-header-rows') collectRows(node[name] as XmlNode[]);
      if (name !== 'table:table-row') continue;
      rows.push(
        (node[name] as XmlNode[])
          .filter((cell) => nameOf(cell) === 'table:table-cell')
          .map((cell) => ({
            type: cell[':@']?.['office:value-type'],
            dateValue: cell[':@']?.['office:date-value'],
            text: inlineText(cell['table:table-cell'] as XmlNode[]),
          })),
      );
    }
  };
  collectRows(sheet ? (sheet['table:table'] as XmlNode[]) : []);
  return {
    entries,
    valid,
    xml,
    sheetName: sheet?.[':@']?.['table:name'],
    rows,
    mimetype: await zip.file('mimetype')?.async('string'),
  };
}

/** Whether LibreOffice is on the PATH. */
export async function hasSoffice(): Promise<boolean> {
  try {
    await promisify(execFile)('soffice', ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
