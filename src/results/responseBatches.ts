import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitations, responses, staffLabel, users } from '../db/schema.js';
import type { ResponseRow } from './responseTable.js';

/**
 * Reads a wave's responses in keyset-paged batches, so an export of a million rows
 * holds at most two batches in memory at a time on either database driver: the next batch is
 * fetched while the caller formats and writes the current one, so database and formatting overlap.
 */
export async function* responseBatches(database: Database, waveId: string, batchSize = 5000): AsyncGenerator<ResponseRow[]> {
  const fetchAfter = (after: string | null): Promise<ResponseRow[]> =>
    database.db
      .select({
        id: responses.id,
        submittedAt: responses.submittedAt,
        status: responses.status,
        mode: responses.mode,
        enteredBy: staffLabel,
        unitId: invitations.unitId,
        data: responses.data,
      })
      .from(responses)
      .leftJoin(invitations, eq(invitations.id, responses.invitationId))
      .leftJoin(users, eq(users.id, responses.enteredBy))
      .where(after ? and(eq(responses.waveId, waveId), gt(responses.id, after)) : eq(responses.waveId, waveId))
      .orderBy(asc(responses.id))
      .limit(batchSize)
      .execute(); // started now (a drizzle query runs only when executed or awaited)
  let pending: Promise<ResponseRow[]> | null = fetchAfter(null);
  try {
    while (pending) {
      const batch: ResponseRow[] = await pending;
      pending = batch.length === batchSize ? fetchAfter(batch[batch.length - 1].id) : null;
      if (batch.length > 0) yield batch;
    }
  } finally {
    // A consumer that stops early (client gone) must not leave a rejected prefetch unhandled.
    pending?.catch(() => {});
  }
}
