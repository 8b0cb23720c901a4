import ExcelJS from 'exceljs';
import { BOM, csvLine } from './csv.js';
import { isPercent, plainCell, type Cell, type Sheet } from './sheets.js';

/** Same neutralisation as CSV: a spreadsheet must show text, never run it as a formula. */
export function safeCell(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Width of text in Excel's character units: full-width (Japanese) characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return width;
}

/** Sets each column wide enough for its longest cell (within limits), as Excel's auto-fit would. */
export function fitColumns(ws: ExcelJS.Worksheet, rows: Cell[][], { min = 8, max = 60 } = {}) {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      const text = String(plainCell(cell) ?? '');
      widths[i] = Math.max(widths[i] ?? 0, ...text.split('\n').map(displayWidth));
    });
  }
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.min(max, Math.max(min, w + 2))));
}

/** A4, fitted to the page width, the title rows repeated, and a header/footer with the survey, date and page. */
export function printSetup(ws: ExcelJS.Worksheet, heading: string, columns: number, titleRows = '1:2') {
  ws.pageSetup = {
    paperSize: 9,
    orientation: columns > 8 ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: titleRows,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
  };
  // & starts a header code in Excel, so a literal one is doubled.
  ws.headerFooter = { oddHeader: `&L${heading.replace(/&/g, '&&')}&R&D`, oddFooter: '&C&P / &N ページ' };
}

/** A cell as the spreadsheet holds it: percentages as numbers in a % format with their decimals. */
function writeCell(target: ExcelJS.Cell, value: Cell) {
  if (!isPercent(value)) {
    target.value = safeCell(value) as ExcelJS.CellValue;
    return;
  }
  target.value = value.percent / 100;
  const zeros = value.decimals > 0 ? `.${'0'.repeat(value.decimals)}` : '';
  target.numFmt = value.suffix ? `0${zeros}%" ${value.suffix.replace(/"/g, '')}"` : `0${zeros}%`;
  target.alignment = { horizontal: 'right' };
}

/**
 * A name Excel accepts: at most 31 characters, none of : \ / ? * [ ], no apostrophe at either end,
 * and not one already used in the book (question names may hold any of these).
 */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[:\\/?*[\]]/g, '_').trim() || 'sheet';
  // Cutting to length can leave an apostrophe at the end, so they are stripped after cutting.
  const fit = (text: string, length: number) => text.slice(0, length).replace(/^'+|'+$/g, '') || 'sheet';
  let name = fit(clean, 31);
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${fit(clean, 31 - String(n).length - 1)}_${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** The sheet that gathers every table's method, n and warnings. */
export const NOTES_SHEET = '注記';

/**
 * One sheet per table plus a notes sheet with method, n and warnings of each; `about` opens the notes
 * and its first line heads every printed page.
 */
export async function workbook(sheets: Sheet[], about: string[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'kodoku-survey';
  book.created = new Date();
  const heading = about[0] ?? '';
  const notes: Cell[][] = about.map((line) => [line]);
  const used = new Set<string>([NOTES_SHEET]);
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheetName(sheet.name, used));
    ws.addRow([sheet.title]).font = { bold: true, size: 13 };
    const header = ws.addRow([]);
    sheet.header.forEach((cell, i) => writeCell(header.getCell(i + 1), cell));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'bottom' };
    for (const row of sheet.rows) {
      const line = ws.addRow([]);
      row.forEach((cell, i) => writeCell(line.getCell(i + 1), cell));
    }
    fitColumns(ws, [sheet.header, ...sheet.rows], { min: 8, max: 40 });
    ws.getColumn(1).width = Math.min(60, Math.max(14, ...[sheet.header, ...sheet.rows].map((r) => displayWidth(String(plainCell(r[0] ?? null) ?? '')) + 2)));
    ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];
    printSetup(ws, heading, sheet.header.length);
    if (sheet.notes.length) {
      ws.addRow([]);
      for (const note of sheet.notes) ws.addRow([safeCell(note)]);
      notes.push([], [sheet.title], ...sheet.notes.map((n) => [n]));
    }
  }
  const ws = book.addWorksheet(NOTES_SHEET);
  ws.getColumn(1).width = 120;
  for (const row of notes) ws.addRow(row.map(safeCell) as ExcelJS.CellValue[]);
  printSetup(ws, heading, 1, '1:1');
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Several tables in one CSV file, one after another, with a single byte-order mark at the start. */
export function sheetsCsv(sheets: Sheet[]): string {
  return BOM + sheets.map(sheetCsv).join('\r\n');
}

function sheetCsv(sheet: Sheet): string {
  const line = (cells: Cell[]) => csvLine(cells.map(plainCell));
  return [csvLine([sheet.title]), line(sheet.header), ...sheet.rows.map(line), csvLine([]), ...sheet.notes.map((n) => csvLine([n]))].join('');
}
