import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Database } from '../db/database.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import { responseBatches } from './responseBatches.js';
import type { Column } from './responseTable.js';
import { codebookSheet } from './sheets.js';
import { safeCell, sheetName } from './workbook.js';

/** Excel's limit is 1,048,576 rows a sheet; with the title and header rows this many responses fit one. */
export const ROWS_PER_SHEET = 1_048_574;
const YIELD_EVERY = 200;

/**
 * The raw responses as an XLSX file, written as it is read: rows leave in batches through
 * exceljs's streaming writer, so a large wave neither fills the server's memory nor holds up other
 * requests. Past Excel's row limit the responses go on in a second sheet, said in the notes.
 */
export function responsesXlsx(database: Database, waveId: string, columns: Column[], entries: CodebookEntry[], onDone: () => void): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'kodoku-survey';
  const used = new Set<string>();
  const header = columns.map((c) => c.header);

  const write = async () => {
    let sheet: ExcelJS.Worksheet | null = null;
    let sheets = 0;
    let inSheet = 0;
    let total = 0;
    for await (const batch of responseBatches(database, waveId)) {
      for (const row of batch) {
        if (!sheet || inSheet === ROWS_PER_SHEET) {
          sheet?.commit();
          sheets++;
          sheet = book.addWorksheet(sheetName(sheets === 1 ? '回答 responses' : `回答 responses (${sheets})`, used), { views: [{ state: 'frozen', ySplit: 2 }] });
          sheet.addRow(['回答一覧 Responses']).commit();
          sheet.addRow(header).commit();
          inSheet = 0;
        }
        sheet.addRow(columns.map((col) => safeCell(plain(col.value(row))))).commit();
        inSheet++;
        // Writing a row costs about 50 µs: let other requests run every few hundred.
        if (++total % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    sheet?.commit();
    const codes = codebookSheet(entries);
    const codebook = book.addWorksheet(sheetName(codes.name, used));
    codebook.addRow([codes.title]).commit();
    codebook.addRow(codes.header).commit();
    for (const row of codes.rows) codebook.addRow(row.map(safeCell)).commit();
    codebook.commit();
    const notes = book.addWorksheet(sheetName('注記 notes', used));
    notes.addRow([`調査回 Wave ${waveId}: ${total} 件の回答（1行に1件、コードの横にラベル）。 ${total} responses, one row per response; codes with labels beside them.`]).commit();
    if (sheets > 1) notes.addRow([`Excel の1シートの行数上限のため、回答は ${sheets} シートに分かれています。 Excel's row limit: the responses continue over ${sheets} sheets.`]).commit();
    notes.commit();
    await book.commit();
  };
  write()
    .catch((error) => out.destroy(error))
    .finally(onDone);
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

function plain(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}
