import type { Database } from '../db/database.js';
import { responseBatches } from './responseBatches.js';
import { responsesCsv } from './responsesCsv.js';
import { jsonRow, type ResponseTable } from './responseTable.js';

/**
 * The raw responses as CSV or JSON text, chunk by chunk as the batches are read. CSV: see responsesCsv.
 * JSON: one object per response with codes as stored and ISO times, plus frame attributes and scores.
 */
export async function* responsesText(database: Database, table: ResponseTable, format: 'csv' | 'json'): AsyncGenerator<string> {
  if (format === 'csv') {
    yield* responsesCsv(database, table);
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
