import type { Context } from 'hono';
import { audit } from '../accounts/audit.js';
import type { Staff } from '../auth/staff.js';
import type { Database } from '../db/database.js';
import type { Sheet } from './sheets.js';
import { sheetsCsv, workbook } from './workbook.js';

/** Names may hold Japanese (question names, frame attributes): an ASCII fallback plus RFC 5987 UTF-8. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The same tables as a CSV or an XLSX file, audited as a download (`download.<name>`); `about` opens
 * the workbook's notes sheet and heads its printed pages.
 */
export async function sheetDownload(
  c: Context,
  database: Database,
  staff: Staff,
  fmt: 'csv' | 'xlsx',
  { sheets, name, about }: { sheets: () => Sheet[]; name: string; about: string[] },
) {
  await audit(database.db, staff, `download.${name}`, c.req.path, { format: fmt, query: c.req.query() });
  if (fmt === 'csv') {
    return c.body(sheetsCsv(sheets()), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(`${name}.csv`) });
  }
  return c.body(new Uint8Array(await workbook(sheets(), about)), 200, {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': attachment(`${name}.xlsx`),
  });
}
