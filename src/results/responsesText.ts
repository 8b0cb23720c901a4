import type { Database } from '../db/database.js';
import { japanClock } from '../web/japanTime.js';
import { BOM, csvLine } from './csv.js';
import { responseBatches } from './responseBatches.js';
import { jsonRow, type Column, type ResponseRow, type ResponseTable } from './responseTable.js';

/** A cell of the CSV download: times as Japan-time text that Excel reads as a date ("2026/11/30 14:05:00"). */
function csvValue(column: Column, row: ResponseRow): unknown {
  const value = column.value(row);
  return column.time && value instanceof Date ? japanClock(value) : value;
}

/**
 * The raw responses as CSV or JSON text, chunk by chunk as the batches are read.
 * CSV: UTF-8 with BOM, two header rows like the XLSX download — the question text, then the variable
 * names — so Excel shows what was asked and a script reads the names with `skip = 1` (R) or `header=1`
 * (pandas). JSON: one object per response with codes as stored and ISO times, plus frame attributes and scores.
 */
export async function* responsesText(database: Database, table: ResponseTable, format: 'csv' | 'json'): AsyncGenerator<string> {
  const { columns } = table;
  if (format === 'csv') {
    yield BOM + csvLine(columns.map((c) => c.title)) + csvLine(columns.map((c) => c.name));
    for await (const batch of responseBatches(database, table.waveId)) {
      yield batch.map((row) => csvLine(columns.map((c) => csvValue(c, row)))).join('');
    }
    return;
  }
  yield `{"waveId":${JSON.stringify(table.waveId)},"responses":[`;
  let first = true;
  for await (const batch of responseBatches(database, table.waveId)) {
    yield (first ? '' : ',') + batch.map((row) => JSON.stringify(jsonRow(table, row))).join(',');
    first = false;
  }
  yield ']}';
}
