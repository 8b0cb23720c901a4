import { sql, type SQL } from 'drizzle-orm';
import { scoreInstrument } from '../../analysis/scoreInstrument.js';
import type { Database } from '../db/database.js';
import { japanClock } from '../web/japanTime.js';
import { csvCellCount, csvCells, UNSURE } from './csvCells.js';
import { BOM, csvCell, csvLine } from './csv.js';
import { pagesAhead, responsesById, type Position } from './responseBatches.js';
import type { Column, ResponseRow, ResponseTable } from './responseTable.js';

/** Rows a page: large enough that a page's query costs little beside its rows, small enough to hold two. */
const PAGE_SIZE = 10_000;

/** PostgreSQL takes at most 100 arguments to a function: a wide questionnaire's line is joined in parts. */
const CONCAT_ARGS = 100;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));

const CHUNK_CHARS = 100_000;

type Line = Position & { line: string; items?: Record<string, unknown> | null };

/** CSV quoting, in SQL, for a cell that may hold a comma, a double quote or a line break (csvCell's rule). */
const quoted = (cell: SQL) => sql`case when ${cell} ~ ${sql.raw(`E'[",\\r\\n]'`)} then '"' || replace(${cell}, '"', '""') || '"' else ${cell} end`;

/** A cell of the CSV download: times as Japan-time text that Excel reads as a date ("2026/11/30 14:05:00"). */
function csvValue(column: Column, row: ResponseRow): unknown {
  const value = column.value(row);
  return column.time && value instanceof Date ? japanClock(value) : value;
}

/**
 * The raw responses as CSV, page by page: UTF-8 with BOM, two header rows like the XLSX download — the
 * question text, then the variable names — so Excel shows what was asked and a script reads the names
 * with `skip = 1` (R) or `header=1` (pandas).
 *
 * The database writes each line (csvCells.ts) and this passes the lines on, adding each scale's score
 * and band as scoreInstrument gives them; a line the database could not be sure to print as csvCell
 * would (it holds UNSURE) is written here from the response itself.
 */
export async function* responsesCsv(database: Database, table: ResponseTable, pageSize = PAGE_SIZE): AsyncGenerator<string> {
  const { columns, scales } = table;
  yield BOM + csvLine(columns.map((c) => c.title)) + csvLine(columns.map((c) => c.name));
  const cells = Array.from({ length: csvCellCount(table) }, (_, k) => sql.raw(`c${k}`));
  // The id and the time never need quoting: skip the check for them.
  const parts = cells.map((c, k) => (k < 2 ? c : quoted(c)));
  const joined = sql.join(chunks(parts, CONCAT_ARGS / 2).map((chunk) => sql`concat(${sql.join(chunk, sql`, ',', `)})`), sql` || ',' || `);
  const line = scales.length ? joined : sql`${joined} || ${sql.raw(`E'\\r\\n'`)}`;
  const fetchAfter = (after: Line | null): Promise<Line[]> => {
    const where = after
      ? sql`r.wave_id = ${table.waveId} and (r.submitted_at, r.id) > (${after.position}::timestamptz, ${after.id}::uuid)`
      : sql`r.wave_id = ${table.waveId}`;
    return database.db.transaction(async (tx) => {
      // As responseBatches: walk the index even without statistics; JIT compiles longer than the page runs.
      await tx.execute(sql`select set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`);
      const result = (await tx.execute(sql`select id::text as id, position, ${line} as line${scales.length ? sql`, items` : sql``}
        from (${csvCells(table, where, sql`limit ${pageSize}`)}) s order by submitted_at, id`)) as unknown;
      return (Array.isArray(result) ? result : (result as { rows: Line[] }).rows) as Line[];
    });
  };
  for await (const page of pagesAhead(fetchAfter, pageSize)) {
    const unsure = page.filter((p) => p.line.includes(UNSURE)).map((p) => p.id);
    const byId = new Map(unsure.length ? (await responsesById(database, table.waveId, unsure)).map((r) => [r.id, r]) : []);
    let text = '';
    for (const p of page) {
      const row = byId.get(p.id);
      if (row) text += csvLine(columns.map((c) => csvValue(c, row)));
      else if (scales.length === 0) text += p.line;
      else {
        const items = p.items ?? {};
        let scores = '';
        for (const scale of scales) {
          const result = scoreInstrument(scale, items);
          scores += `,${csvCell(result.score)},${csvCell(result.band?.label.ja ?? null)}`;
        }
        text += `${p.line}${scores}\r\n`;
      }
      // Out in pieces of about 100 kB: the client takes each before the next is made, so little is held at once.
      if (text.length > CHUNK_CHARS) {
        yield text;
        text = '';
      }
    }
    yield text;
  }
}
