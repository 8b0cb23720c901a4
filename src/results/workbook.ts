import ExcelJS from 'exceljs';
import { BOM, csvLine } from './csv.js';
import type { Cell, Sheet } from './sheets.js';

/** Same neutralisation as CSV: a spreadsheet must show text, never run it as a formula. */
export function safeCell(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A name Excel accepts: at most 31 characters, none of : \ / ? * [ ], no apostrophe at either end,
 * and not one already used in the book (question names may hold any of these).
 */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '').trim() || 'sheet';
  let name = clean.slice(0, 31);
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${clean.slice(0, 31 - String(n).length - 1)}_${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** One sheet per table plus a notes sheet with method, n and warnings of each. */
export async function workbook(sheets: Sheet[], about: string[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'kodoku-survey';
  book.created = new Date();
  const notes: Cell[][] = about.map((line) => [line]);
  const used = new Set<string>(['notes']);
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheetName(sheet.name, used));
    ws.addRow([sheet.title]).font = { bold: true, size: 13 };
    ws.addRow(sheet.header.map(safeCell)).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row.map(safeCell));
    ws.getColumn(1).width = Math.min(60, Math.max(14, ...sheet.rows.map((r) => String(r[0] ?? '').length * 2)));
    ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];
    if (sheet.notes.length) {
      ws.addRow([]);
      for (const note of sheet.notes) ws.addRow([safeCell(note)]);
      notes.push([], [sheet.title], ...sheet.notes.map((n) => [n]));
    }
  }
  const ws = book.addWorksheet('notes');
  ws.getColumn(1).width = 120;
  for (const row of notes) ws.addRow(row.map(safeCell));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Several tables in one CSV file, one after another, with a single byte-order mark at the start. */
export function sheetsCsv(sheets: Sheet[]): string {
  return BOM + sheets.map(sheetCsv).join('\r\n');
}

function sheetCsv(sheet: Sheet): string {
  return [csvLine([sheet.title]), csvLine(sheet.header), ...sheet.rows.map(csvLine), csvLine([]), ...sheet.notes.map((n) => csvLine([n]))].join('');
}
