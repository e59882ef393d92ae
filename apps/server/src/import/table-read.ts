import { clip } from '@nordraum/domain';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { maxImportCellChars, maxImportColumns, maxImportRows } from './upload-form.ts';
import { checkZip } from './zip-check.ts';

/**
 * A spreadsheet file as rows of text cells, for the action-list import: CSV (by `csv-parse`;
 * UTF-8 with or without byte order mark, the separator `;`, `,` or tab as the header line shows)
 * and XLSX (by `exceljs`, the first sheet). Date cells become `YYYY-MM-DD`, numbers their
 * text, a formula its cached result, rich text and links their text. Empty rows are left out;
 * each row keeps the line it had in the file, for messages. Rows are cut to `maxImportColumns`
 * cells and cells to `maxImportCellChars`.
 */

export interface ReadRow {
  /** The line (CSV) or row number (XLSX) in the file, 1-based. */
  line: number;
  cells: string[];
}

/** The separator the header line uses most, outside quotes. */
function separatorOf(text: string): string {
  const header = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t'].map((separator) => [separator, header.split(separator).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** CSV bytes as rows. */
export function readCsv(bytes: Uint8Array): ReadRow[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  const records = parse(text, {
    delimiter: separatorOf(text),
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    to_line: maxImportRows + 2,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return records
    .map(({ record, info }) => ({ line: info.lines, cells: bounded(record) }))
    .filter((row) => row.cells.some((cell) => cell !== ''));
}

const bounded = (cells: string[]) => cells.slice(0, maxImportColumns).map((cell) => clip(cell, maxImportCellChars));

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

/** XLSX bytes as rows of the first sheet. */
export async function readXlsx(bytes: Uint8Array): Promise<ReadRow[]> {
  checkZip(bytes);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: ReadRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, number) => {
    if (rows.length > maxImportRows + 1) return;
    const cells = Array.from({ length: Math.min(row.cellCount, maxImportColumns) }, (_, index) =>
      clip(cellText(row.getCell(index + 1).value).trim(), maxImportCellChars),
    );
    if (cells.some((cell) => cell !== '')) rows.push({ line: number, cells });
  });
  return rows;
}
