import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitations, responses } from '../db/schema.js';
import type { ResponseRow } from './responseTable.js';

/**
 * Reads a wave's responses in keyset-paged batches, so an export of a million rows
 * holds one batch in memory at a time on either database driver.
 */
export async function* responseBatches(database: Database, waveId: string, batchSize = 5000): AsyncGenerator<ResponseRow[]> {
  let after: string | null = null;
  for (;;) {
    const batch: ResponseRow[] = await database.db
      .select({
        id: responses.id,
        submittedAt: responses.submittedAt,
        status: responses.status,
        mode: responses.mode,
        unitId: invitations.unitId,
        data: responses.data,
      })
      .from(responses)
      .leftJoin(invitations, eq(invitations.id, responses.invitationId))
      .where(after ? and(eq(responses.waveId, waveId), gt(responses.id, after)) : eq(responses.waveId, waveId))
      .orderBy(asc(responses.id))
      .limit(batchSize);
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1].id;
  }
}
