import { sql } from 'drizzle-orm';
import { openLinkSummary, responseRatesFromCounts, type Disposition } from '../../analysis/index.js';
import type { Database } from '../db/database.js';
import { analyticRows } from './analyticQuery.js';
import { frameValues } from './frameValues.js';

/**
 * Response rates of a wave from its frame, counted by GROUP BY in the database. A wave without a
 * frame (open link only) has no denominator: it gets completes, partials and break-off by page.
 */
export async function waveRates(database: Database, waveId: string, by: string[], pageOrder: string[]) {
  const groupColumns = by.map((attribute, i) => sql`attributes->>${attribute} as ${sql.raw(`g${i}`)}`);
  const frame = await analyticRows<Record<string, string | null> & { disposition: Disposition; count: number }>(
    database,
    sql`
    select ${sql.join([...groupColumns, sql`disposition`, sql`count(*)::int as count`], sql`, `)}
    from invitations where wave_id = ${waveId}
    group by ${sql.join([...by.map((_, i) => sql.raw(String(i + 1))), sql.raw(String(by.length + 1))], sql`, `)}`,
    { hashAggregate: true },
  );
  if (frame.length > 0) {
    const counts = frame.map((row) => ({
      group: Object.fromEntries(by.map((attribute, i) => [attribute, row[`g${i}`] ?? null])),
      disposition: row.disposition,
      count: Number(row.count),
    }));
    const [levels, outside] = await Promise.all([frameValues(database, waveId, by), openLinkCounts(database, waveId)]);
    return { kind: 'frame' as const, ...responseRatesFromCounts(counts, { by, levels }), openLink: outside };
  }
  const open = await database.rows<{ status: 'complete' | 'partial'; last_page: string | null; count: number }>(sql`
    select status, last_page, count(*)::int as count from responses where wave_id = ${waveId} group by 1, 2`);
  return {
    kind: 'open-link' as const,
    ...openLinkSummary(open.map((r) => ({ status: r.status, lastPage: r.last_page, count: Number(r.count) })), { pageOrder }),
  };
}

/** Responses that came through the open link of a wave that also has a frame: reported beside the rates, never in them. */
async function openLinkCounts(database: Database, waveId: string) {
  const rows = await database.rows<{ status: 'complete' | 'partial'; count: number }>(sql`
    select status, count(*)::int as count from responses where wave_id = ${waveId} and invitation_id is null group by 1`);
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.count ?? 0);
  return { complete: count('complete'), partial: count('partial') };
}
