import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Database } from '../db/database.js';
import { JAPAN_OFFSET_MS } from '../web/japanTime.js';
import { responseBatches } from './responseBatches.js';
import { MODE_LABELS, SPOILED_CODE, SPOILED_LABEL, STATUS_LABELS, type Column, type ResponseRow, type ResponseTable } from './responseTable.js';
import { codebookSheet, type Cell } from './sheets.js';
import { safeCell, sheetName } from './workbook.js';

/** Excel's limit is 1,048,576 rows a sheet; with the two header rows this many responses fit one. */
export const ROWS_PER_SHEET = 1_048_574;
const HEADER_ROWS = 2;
const YIELD_EVERY = 200;
const DATE_FORMAT = 'yyyy/mm/dd hh:mm:ss';
/** Column widths in Excel's units (about one half-width character). Longer question texts wrap in row 1. */
const MIN_WIDTH = 6;
const MAX_WIDTH = 40;
const TITLE_WIDTH = 24;

/**
 * The raw responses as an XLSX file, written as it is read: rows leave in batches through
 * exceljs's streaming writer, so a large wave neither fills the server's memory nor holds up other
 * requests. Past Excel's row limit the responses go on in a second sheet, said in the notes.
 *
 * Two header rows, frozen: row 1 the question text, which is what a Japanese evaluator reads and
 * recognises from the questionnaire (wrapped, so long questions fit a column of sensible width);
 * row 2 the variable name, as in a codebook, where the filter buttons sit (they would hide the end
 * of a question's text) and which stays findable with Ctrl+F and for scripts. The codes themselves
 * are in the codebook sheet. `rowsPerSheet` is Excel's limit but for tests.
 */
export function responsesXlsx(database: Database, table: ResponseTable, onDone: () => void, rowsPerSheet = ROWS_PER_SHEET): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'kodoku-survey';
  const used = new Set<string>();
  const { columns } = table;
  const lastColumn = columnLetter(columns.length);

  const write = async () => {
    let sheet: ExcelJS.Worksheet | null = null;
    let widths: number[] = [];
    let sheets = 0;
    let inSheet = 0;
    let total = 0;
    const finish = () => {
      if (!sheet) return;
      // Written when the sheet is committed, so it can span the rows now known.
      sheet.autoFilter = `A${HEADER_ROWS}:${lastColumn}${HEADER_ROWS + inSheet}`;
      sheet.commit();
    };
    for await (const batch of responseBatches(database, table.waveId)) {
      if (widths.length === 0) widths = columnWidths(columns, batch);
      for (const row of batch) {
        if (!sheet || inSheet === rowsPerSheet) {
          finish();
          sheets++;
          sheet = book.addWorksheet(sheetName(sheets === 1 ? '回答 responses' : `回答 responses (${sheets})`, used), {
            views: [{ state: 'frozen', ySplit: HEADER_ROWS, topLeftCell: `A${HEADER_ROWS + 1}` }],
          });
          writeHeader(sheet, columns, widths);
          inSheet = 0;
        }
        sheet.addRow(columns.map((col) => xlsxValue(col, row))).commit();
        inSheet++;
        // Writing a row costs about 50 µs: let other requests run every few hundred.
        if (++total % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (!sheet) {
      // No responses yet: still the headers, so the layout can be checked before the wave opens.
      sheet = book.addWorksheet(sheetName('回答 responses', used), { views: [{ state: 'frozen', ySplit: HEADER_ROWS }] });
      writeHeader(sheet, columns, columnWidths(columns, []));
      sheets = 1;
    }
    finish();
    const codes = codebookSheet(table.entries);
    const codebook = book.addWorksheet(sheetName(codes.name, used), { views: [{ state: 'frozen', ySplit: 2 }] });
    codebook.columns = [12, 40, 12, 10, 30].map((width) => ({ width }));
    codebook.addRow([codes.title]).commit();
    codebook.addRow(codes.header).commit();
    for (const row of [...codes.rows, ...exportCodes(table)]) codebook.addRow(row.map(safeCell)).commit();
    codebook.commit();
    const notes = book.addWorksheet(sheetName('注記 notes', used));
    notes.getColumn(1).width = 120;
    for (const line of notesOf(table, total, sheets)) notes.addRow([line]).commit();
    notes.commit();
    await book.commit();
  };
  write()
    .catch((error) => out.destroy(error))
    .finally(onDone);
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

function writeHeader(sheet: ExcelJS.Worksheet, columns: Column[], widths: number[]) {
  // Column styles must be set before the first row is committed; a time column's cells show as dates.
  sheet.columns = columns.map((col, i) => ({ width: widths[i], ...(col.time ? { style: { numFmt: DATE_FORMAT } } : {}) }));
  const titles = sheet.addRow(columns.map((col) => safeCell(col.title)));
  const lines = Math.min(5, Math.max(1, ...columns.map((col, i) => Math.ceil(textWidth(col.title) / Math.max(1, widths[i] - 1)))));
  titles.height = 18 * lines;
  titles.font = { bold: true };
  titles.alignment = { wrapText: true, vertical: 'top' };
  titles.commit();
  const names = sheet.addRow(columns.map((col) => safeCell(col.name)));
  names.font = { color: { argb: 'FF595959' } };
  names.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  names.commit();
}

/**
 * exceljs writes a Date as the serial of its UTC time and Excel has no time zones, so the time is
 * shifted by +9 hours: the cell shows Japan time (as the notes sheet says).
 */
function xlsxValue(column: Column, row: ResponseRow): ExcelJS.CellValue {
  const value = column.value(row);
  if (column.time && value instanceof Date) return new Date(value.getTime() + JAPAN_OFFSET_MS);
  return safeCell(plain(value)) as string | number | null;
}

function plain(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * How wide a text shows in Excel's units: full-width characters (kanji, kana, full-width forms) take
 * two, half-width ones one.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** Widths from the variable name, the first part of the question text and the first batch's values. */
function columnWidths(columns: Column[], sample: ResponseRow[]): number[] {
  return columns.map((col) => {
    let width = Math.max(textWidth(col.name), Math.min(TITLE_WIDTH, textWidth(col.title)));
    if (col.time) width = Math.max(width, DATE_FORMAT.length);
    else {
      for (const row of sample) {
        const value = plain(col.value(row));
        if (value !== null) width = Math.max(width, textWidth(String(value)));
        if (width >= MAX_WIDTH) break;
      }
    }
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2));
  });
}

/** Codebook lines for what this download turns into words: status, mode and each scale's bands. */
function exportCodes(table: ResponseTable): Cell[][] {
  return [
    ...Object.entries(STATUS_LABELS).map(([code, label]): Cell[] => ['status', '回答状況', 'export', code, label]),
    ...Object.entries(MODE_LABELS).map(([code, label]): Cell[] => ['mode', '回答方法', 'export', code, label]),
    ['（各質問）', '判読不能・無効: 紙の回答で二重回答や読み取れない記入（無回答は空欄）', 'missing', SPOILED_CODE, SPOILED_LABEL],
    ...table.scales.flatMap((scale) => [
      [`${scale.id}_score`, `${scale.label.ja}：得点（${scale.range.min}〜${scale.range.max}）`, 'score', null, null] as Cell[],
      ...(scale.bands ?? []).map((band): Cell[] => [`${scale.id}_band`, `${scale.label.ja}：区分`, 'score', band.id, band.label.ja]),
    ]),
  ];
}

function notesOf(table: ResponseTable, total: number, sheets: number): string[] {
  const lines = [
    `調査回 Wave ${table.waveId}: ${total} 件の回答（1行に1件、回答日時の順）。 ${total} responses, one row per response, in order of submission.`,
    '見出しは2行です。1行目が質問文、2行目が変数名（コードブックの question）です。選択肢の質問は「（コード）」の列にコード、質問文の列にラベルがあります。 Two header rows: the question text, then the variable name; choice questions have the code and, beside it, the label.',
    '回答日時は日本時間（JST, UTC+9）の Excel 日付です。Excel に時差の概念がないため、UTC の時刻に 9 時間を足した値を入れています（プログラムで読む場合は 9 時間を引くと UTC）。 Times are Excel dates in Japan time: UTC shifted by +9 hours (subtract 9 hours for UTC).',
  ];
  if (table.attributes.length > 0) {
    lines.push(`名簿の属性（${table.attributes.join('、')}）と対象者番号は招待リンクで回答した人にだけあります。公開リンクで回答した人の行は空欄です。 Frame attributes and unit ids are empty for open-link respondents.`);
  }
  if (table.scales.length > 0) {
    lines.push('得点と区分は尺度の採点規則（欠損項目の扱いを含む）で回答ごとに計算しています。規則で得点が出ない回答は空欄です。 Scores and bands per response by the scale\'s scoring rule; empty where the rule gives no score.');
  }
  if (sheets > 1) lines.push(`Excel の1シートの行数上限のため、回答は ${sheets} シートに分かれています。 Excel's row limit: the responses continue over ${sheets} sheets.`);
  return lines;
}

function columnLetter(n: number): string {
  let letters = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}
