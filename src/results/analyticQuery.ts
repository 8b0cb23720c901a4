import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';

export type AnalyticSettings = {
  /**
   * Hash aggregation instead of sorting. The planner cannot estimate how many distinct values a
   * `data->>'question'` expression has and guesses ~100,000 groups for a million responses, so it sorts
   * every row (on disk) to find a few dozen groups; a hash aggregate keeps only the groups.
   */
  hashAggregate?: boolean;
  /** work_mem for this query only, e.g. '64MB', so that a sort of one wave's rows stays in memory. */
  workMem?: string;
};

/**
 * Runs one read-only analytic query over a wave with settings made for it, set with SET LOCAL in a
 * transaction of its own so they never leak to other queries on the pooled connection. JIT is off:
 * compiling the expressions cost more (50–90 ms) than it saved on these short aggregates.
 */
export async function analyticRows<T = Record<string, unknown>>(database: Database, query: SQL, settings: AnalyticSettings = {}): Promise<T[]> {
  const values = [sql`set_config('jit', 'off', true)`];
  if (settings.hashAggregate) values.push(sql`set_config('enable_sort', 'off', true)`);
  if (settings.workMem) values.push(sql`set_config('work_mem', ${settings.workMem}, true)`);
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select ${sql.join(values, sql`, `)}`);
    const result = (await tx.execute(query)) as unknown;
    // postgres.js returns the rows as an array; PGlite returns { rows }.
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  });
}
