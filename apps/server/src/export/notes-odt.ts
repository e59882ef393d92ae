import type { ExportHeading, ExportTable, NotesBlock, TextRun } from '@nordraum/domain';
import JSZip from 'jszip';

/**
 * Notes as an OpenDocument text (ODF 1.3, package format): npm has no maintained ODF writer, so
 * this module writes the four parts itself over a zip library. Rules of the package (ODF 1.3
 * part 2): `mimetype` is the first entry, stored uncompressed, without extra field; every other
 * part is listed in `META-INF/manifest.xml`. Headings are `text:h` with an outline level (the
 * title is level 1, the editor's headings keep theirs), lists `text:list` with a list style,
 * task items a list item whose style override shows ☑ or ☐, tables `table:table` with header
 * rows, links `text:a`. The page header carries room, title and version; the footer the page
 * number. Text is XML-escaped and stripped of characters XML cannot hold.
 *
 * Tables (action lists, a roadmap's milestones) are written as an OpenDocument spreadsheet in the
 * same package: one sheet, a bold header row repeated on print and with filter buttons, dates as
 * `office:date-value` cells shown DD.MM.YYYY, every other cell a string (never a formula).
 */

const mimeType = 'application/vnd.oasis.opendocument.text';
const spreadsheetMimeType = 'application/vnd.oasis.opendocument.spreadsheet';
const ns = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"',
].join(' ');

/** Escapes text for XML content and attributes; drops characters XML 1.0 forbids. */
export function xmlText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
  );
}

/** Runs of text: spaces kept (`text:s`), breaks as `text:line-break`, marks as automatic span styles. */
function spans(runs: TextRun[]): string {
  return runs
    .map((run) => {
      if (run.text === '\n') return '<text:line-break/>';
      let content = xmlText(run.text).replace(/ {2,}/g, (spaces) => ` <text:s text:c="${spaces.length - 1}"/>`);
      const style = ['bold', 'italic', 'underline', 'strike', 'code'].filter((mark) => run[mark as keyof TextRun]);
      if (style.length > 0) content = `<text:span text:style-name="T_${style.join('_')}">${content}</text:span>`;
      if (run.href) content = `<text:a xlink:type="simple" xlink:href="${xmlText(run.href)}">${content}</text:a>`;
      return content;
    })
    .join('');
}

function list(block: Extract<NotesBlock, { type: 'list' }>): string {
  const style = { bullet: 'L_bullet', ordered: 'L_ordered', task: 'L_task_open' }[block.kind];
  const items = block.items.map((item, index) => {
    const override =
      block.kind === 'task' ? ` text:style-override="${item.checked ? 'L_task_done' : 'L_task_open'}"` : '';
    const start =
      block.kind === 'ordered' && index === 0 && block.start !== 1 ? ` text:start-value="${block.start}"` : '';
    return `<text:list-item${override}${start}>${body(item.blocks, 'P_list')}</text:list-item>`;
  });
  return `<text:list text:style-name="${style}">${items.join('')}</text:list>`;
}

/** Tables are named Tabelle1, Tabelle2, … in order; writing is synchronous, so one counter will do. */
let tableCount = 0;

function table(block: Extract<NotesBlock, { type: 'table' }>): string {
  const columns = Math.max(1, ...block.rows.map((row) => row.length));
  const row = (cells: (typeof block.rows)[number]) =>
    `<table:table-row>${Array.from({ length: columns }, (_, index) => {
      const cell = cells[index];
      const style = cell?.header ? 'P_table_header' : 'P_table';
      return `<table:table-cell table:style-name="C_cell" office:value-type="string">${body(cell?.blocks ?? [], style)}</table:table-cell>`;
    }).join('')}</table:table-row>`;
  const headerRows = [];
  const rows = [...block.rows];
  while (rows[0]?.length && rows[0].every((cell) => cell.header)) headerRows.push(rows.shift()!);
  tableCount += 1;
  return [
    `<table:table table:name="Tabelle${tableCount}" table:style-name="T_table">`,
    `<table:table-column table:number-columns-repeated="${columns}"/>`,
    headerRows.length ? `<table:table-header-rows>${headerRows.map(row).join('')}</table:table-header-rows>` : '',
    rows.map(row).join(''),
    '</table:table>',
  ].join('');
}

/** Blocks as ODF body content; `paragraphStyle` is the style of plain paragraphs at this place. */
function body(blocks: NotesBlock[], paragraphStyle = 'Standard'): string {
  const parts = blocks.map((block): string => {
    switch (block.type) {
      case 'heading':
        return `<text:h text:style-name="Heading_20_${block.level}" text:outline-level="${block.level}">${spans(block.runs)}</text:h>`;
      case 'paragraph':
        return `<text:p text:style-name="${paragraphStyle}">${spans(block.runs)}</text:p>`;
      case 'code':
        return block.text
          .split('\n')
          .map((line) => `<text:p text:style-name="P_code">${spans([{ text: line }])}</text:p>`)
          .join('');
      case 'rule':
        return '<text:p text:style-name="P_rule"/>';
      case 'quote':
        return body(block.blocks, 'P_quote');
      case 'list':
        return list(block);
      default:
        return table(block);
    }
  });
  return parts.join('') || `<text:p text:style-name="${paragraphStyle}"/>`;
}

const spanStyles = (() => {
  const marks = ['bold', 'italic', 'underline', 'strike', 'code'];
  const properties: Record<string, string> = {
    bold: 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"',
    italic: 'fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic"',
    underline:
      'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"',
    strike: 'style:text-line-through-style="solid"',
    code: 'style:font-name="Liberation Mono"',
  };
  const styles: string[] = [];
  for (let mask = 1; mask < 1 << marks.length; mask++) {
    const chosen = marks.filter((_, index) => mask & (1 << index));
    styles.push(
      `<style:style style:name="T_${chosen.join('_')}" style:family="text"><style:text-properties ${chosen.map((mark) => properties[mark]).join(' ')}/></style:style>`,
    );
  }
  return styles.join('');
})();

function listStyle(name: string, bullet: ((level: number) => string) | 'number'): string {
  const levels = Array.from({ length: 10 }, (_, index) => {
    const level = index + 1;
    const position = `<style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="${(0.635 * level).toFixed(3)}cm" fo:text-indent="-0.635cm" fo:margin-left="${(0.635 * level).toFixed(3)}cm"/></style:list-level-properties>`;
    return bullet === 'number'
      ? `<text:list-level-style-number text:level="${level}" style:num-suffix="." style:num-format="1">${position}</text:list-level-style-number>`
      : `<text:list-level-style-bullet text:level="${level}" text:bullet-char="${bullet(level)}">${position}</text:list-level-style-bullet>`;
  });
  return `<text:list-style style:name="${name}">${levels.join('')}</text:list-style>`;
}

function contentXml(heading: ExportHeading, blocks: NotesBlock[]): string {
  tableCount = 0;
  const automatic = [
    spanStyles,
    '<style:style style:name="T_table" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>',
    '<style:style style:name="C_cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>',
    listStyle('L_bullet', (level) => ['•', '◦', '▪'][(level - 1) % 3]!),
    listStyle('L_ordered', 'number'),
    listStyle('L_task_open', () => '☐'),
    listStyle('L_task_done', () => '☑'),
  ].join('');
  const front = [
    `<text:h text:style-name="Heading_20_1" text:outline-level="1">${xmlText(heading.title)}</text:h>`,
    ...heading.lines.map((line) => `<text:p text:style-name="P_subtitle">${xmlText(line)}</text:p>`),
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${ns} office:version="1.3"><office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/><style:font-face style:name="Liberation Mono" svg:font-family="'Liberation Mono'" style:font-family-generic="modern" style:font-pitch="fixed"/></office:font-face-decls><office:automatic-styles>${automatic}</office:automatic-styles><office:body><office:text>${front}${body(blocks)}</office:text></office:body></office:document-content>`;
}

function paragraphStyle(name: string, display: string, parent: string, paragraph: string, text: string, extra = '') {
  return `<style:style style:name="${name}" style:display-name="${display}" style:family="paragraph" style:parent-style-name="${parent}"${extra}><style:paragraph-properties ${paragraph}/><style:text-properties ${text}/></style:style>`;
}

function stylesXml(heading: ExportHeading): string {
  const sizes = ['20pt', '16pt', '14pt', '12pt', '11pt', '11pt'];
  const headings = sizes
    .map((size, index) =>
      paragraphStyle(
        `Heading_20_${index + 1}`,
        `Heading ${index + 1}`,
        'Heading',
        'fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"',
        `fo:font-size="${size}" fo:font-weight="bold"`,
        ` style:next-style-name="Standard" style:default-outline-level="${index + 1}"`,
      ),
    )
    .join('');
  const headerLine = xmlText(`${heading.roomName} · ${heading.title} · ${heading.lines.slice(1).join(' · ')}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles ${ns} office:version="1.3"><office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/></office:font-face-decls><office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt" fo:language="de" fo:country="DE"/></style:default-style><style:style style:name="Standard" style:family="paragraph" style:class="text"><style:paragraph-properties fo:margin-bottom="0.21cm" fo:line-height="115%"/></style:style>${paragraphStyle('Heading', 'Heading', 'Standard', 'fo:margin-top="0.42cm"', 'fo:font-size="14pt"')}${headings}${paragraphStyle('P_subtitle', 'Subtitle', 'Standard', 'fo:margin-bottom="0.1cm"', 'fo:color="#444444" fo:font-size="10pt"')}${paragraphStyle('P_list', 'List Contents', 'Standard', 'fo:margin-bottom="0.1cm"', '')}${paragraphStyle('P_table', 'Table Contents', 'Standard', 'fo:margin-bottom="0cm"', '')}${paragraphStyle('P_table_header', 'Table Heading', 'P_table', 'fo:margin-bottom="0cm"', 'fo:font-weight="bold"')}${paragraphStyle('P_quote', 'Quotations', 'Standard', 'fo:margin-left="1cm"', 'fo:font-style="italic"')}${paragraphStyle('P_code', 'Preformatted Text', 'Standard', 'fo:margin-bottom="0cm"', 'style:font-name="Liberation Mono" fo:font-size="10pt"')}${paragraphStyle('P_rule', 'Horizontal Line', 'Standard', 'fo:border-bottom="0.5pt solid #808080"', '')}${paragraphStyle('Header', 'Header', 'Standard', 'fo:border-bottom="0.5pt solid #808080"', 'fo:font-size="9pt" fo:color="#444444"')}${paragraphStyle('Footer', 'Footer', 'Standard', 'fo:text-align="center"', 'fo:font-size="9pt" fo:color="#444444"')}</office:styles><office:automatic-styles><style:page-layout style:name="PageA4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm" style:print-orientation="portrait"/><style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PageA4"><style:header><text:p text:style-name="Header">${headerLine}</text:p></style:header><style:footer><text:p text:style-name="Footer">Seite <text:page-number text:select-page="current">1</text:page-number> von <text:page-count>1</text:page-count></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>`;
}

function metaXml(title: string, subject: string, now: Date): string {
  const date = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta ${ns} office:version="1.3"><office:meta><meta:generator>Nordraum</meta:generator><dc:title>${xmlText(title)}</dc:title><dc:subject>${xmlText(subject)}</dc:subject><dc:language>de-DE</dc:language><meta:creation-date>${date}</meta:creation-date><dc:date>${date}</dc:date></office:meta></office:document-meta>`;
}

const manifestXml = (media: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${media}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`;

/** The package: `mimetype` first and stored, then the parts and the manifest listing them. */
function odfPackage(media: string, parts: { content: string; styles: string; meta: string }): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('mimetype', media, { compression: 'STORE' });
  zip.file('content.xml', parts.content);
  zip.file('styles.xml', parts.styles);
  zip.file('meta.xml', parts.meta);
  zip.file('META-INF/manifest.xml', manifestXml(media));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** Notes as an ODT file (ODF 1.3). `now` is the creation date in the metadata. */
export function notesToOdt(blocks: NotesBlock[], heading: ExportHeading, now = new Date()): Promise<Uint8Array> {
  return odfPackage(mimeType, {
    content: contentXml(heading, blocks),
    styles: stylesXml(heading),
    meta: metaXml(heading.title, heading.roomName, now),
  });
}

// Spreadsheet (ODS) --------------------------------------------------------------------------------

/** Column 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : columnName(Math.floor(index / 26) - 1) + columnName(index % 26);
}

function sheetCell(cell: ExportTable['rows'][number][number], style = ''): string {
  if (cell === null) return `<table:table-cell${style}/>`;
  if (typeof cell === 'string')
    return `<table:table-cell${style} office:value-type="string"><text:p>${xmlText(cell)}</text:p></table:table-cell>`;
  const [year, month, day] = cell.date.split('-');
  return `<table:table-cell table:style-name="ce_date" office:value-type="date" office:date-value="${xmlText(cell.date)}"><text:p>${day}.${month}.${year}</text:p></table:table-cell>`;
}

function sheetContentXml(table: ExportTable, sheetName: string): string {
  const columns = table.header.map((name, index) => {
    const longest = Math.max(
      name.length,
      ...table.rows.map((row) => (typeof row[index] === 'string' ? Math.min((row[index] as string).length, 60) : 10)),
    );
    return `<style:style style:name="co${index}" style:family="table-column"><style:table-column-properties style:column-width="${((longest + 2) * 0.22).toFixed(2)}cm"/></style:style>`;
  });
  const automatic = [
    '<number:date-style style:name="N_date"><number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>',
    '<style:style style:name="ce_date" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_date"/>',
    '<style:style style:name="ce_head" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>',
    ...columns,
  ].join('');
  const header = `<table:table-header-rows><table:table-row>${table.header.map((name) => sheetCell(name, ' table:style-name="ce_head"')).join('')}</table:table-row></table:table-header-rows>`;
  const rows = table.rows.map(
    (row) => `<table:table-row>${row.map((cell) => sheetCell(cell)).join('')}</table:table-row>`,
  );
  const quoted = `'${sheetName.replaceAll("'", "''")}'`;
  const range = `${quoted}.A1:${quoted}.${columnName(Math.max(table.header.length, 1) - 1)}${table.rows.length + 1}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${ns} office:version="1.3"><office:automatic-styles>${automatic}</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="${xmlText(sheetName)}">${table.header.map((_, index) => `<table:table-column table:style-name="co${index}"/>`).join('')}${header}${rows.join('')}</table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="${xmlText(range)}" table:display-filter-buttons="true"/></table:database-ranges></office:spreadsheet></office:body></office:document-content>`;
}

const sheetStylesXml = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles ${ns} office:version="1.3"><office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/></office:font-face-decls><office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt" fo:language="de" fo:country="DE"/></style:default-style><style:style style:name="Default" style:family="table-cell"/></office:styles></office:document-styles>`;

/**
 * A table as an ODS file (ODF 1.3); `sheetName` loses the characters a sheet name cannot hold
 * (`[]*?:/\` and a leading or trailing apostrophe) and is cut to 31 characters, as in XLSX.
 */
export function tableToOds(
  table: ExportTable,
  sheetName: string,
  title: string,
  now = new Date(),
): Promise<Uint8Array> {
  const name =
    sheetName
      .replace(/[[\]:*?/\\]/g, '-')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Export';
  return odfPackage(spreadsheetMimeType, {
    content: sheetContentXml(table, name),
    styles: sheetStylesXml,
    meta: metaXml(title, name, now),
  });
}
