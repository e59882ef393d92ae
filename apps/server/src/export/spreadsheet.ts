import type { ExportTable } from '@nordraum/domain';
import ExcelJS from 'exceljs';

/**
 * A table (action list, roadmap) as an XLSX workbook with exceljs: one sheet, a bold header row
 * that stays in view and filters, dates as real date cells (sortable, shown DD.MM.YYYY), text
 * cells as text: a title starting with `=` stays text, never a formula.
 */

/** The table as XLSX bytes; `sheetName` is cut to Excel's 31 characters and freed of `[]:*?/\`. */
export async function tableToXlsx(table: ExportTable, sheetName: string, title: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Nordraum';
  workbook.title = title;
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Export', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(
      row.map((cell) => (cell === null ? null : typeof cell === 'string' ? cell : new Date(`${cell.date}T00:00:00Z`))),
    );
    row.forEach((cell, index) => {
      if (cell !== null && typeof cell === 'object') added.getCell(index + 1).numFmt = 'dd.mm.yyyy';
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  table.header.forEach((name, index) => {
    const longest = Math.max(
      name.length,
      ...table.rows.map((row) => {
        const cell = row[index];
        return typeof cell === 'string' ? Math.min(cell.length, 60) : 10;
      }),
    );
    sheet.getColumn(index + 1).width = longest + 2;
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
