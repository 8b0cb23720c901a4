import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { invitations, responses, staffLabel, users } from '../db/schema.js';
import type { ResponseRow } from './responseTable.js';

/** Responses with their frame line and who entered them, as the downloads read them. */
function responseRows(db: Pick<Database['db'], 'select'>) {
  return db
    .select({
      id: responses.id,
      submittedAt: responses.submittedAt,
      // The time as the database holds it (microseconds), for the next page: a JS Date keeps only milliseconds.
      position: sql<string>`${responses.submittedAt}::text`,
      status: responses.status,
      mode: responses.mode,
      enteredBy: staffLabel,
      unitId: invitations.unitId,
      attributes: invitations.attributes,
      data: responses.data,
      spoiled: responses.spoiled,
    })
    .from(responses)
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .leftJoin(users, eq(users.id, responses.enteredBy));
}

/** These responses of a wave, by id (in no particular order). */
export function responsesById(database: Database, waveId: string, ids: string[]): Promise<ResponseRow[]> {
  return responseRows(database.db).where(and(eq(responses.waveId, waveId), inArray(responses.id, ids)));
}

/** A row with where it stands in the order, for the next page. */
type Fetched = ResponseRow & Position;

/**
 * Reads a wave's responses in submission order (submitted_at, then id), in keyset-paged batches, so an
 * export of a million rows holds at most two batches in memory at a time on either database driver: the
 * next batch is fetched while the caller formats and writes the current one, so database and formatting
 * overlap. The index responses_wave_submitted serves each page in order without sorting the wave.
 */
export async function* responseBatches(database: Database, waveId: string, batchSize = 5000): AsyncGenerator<ResponseRow[]> {
  // Each page in a transaction of its own with sorting off, so the planner walks the index even before
  // statistics exist (right after a bulk import it guesses a few hundred rows, sorts the rest of the wave
  // for every page, and a 300,000-row export takes minutes instead of seconds).
  const fetchAfter = (after: Fetched | null): Promise<Fetched[]> =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('enable_sort', 'off', true)`);
      return responseRows(tx)
        .where(
          after
            ? sql`${responses.waveId} = ${waveId} and (${responses.submittedAt}, ${responses.id}) > (${after.position}::timestamptz, ${after.id}::uuid)`
            : eq(responses.waveId, waveId),
        )
        .orderBy(asc(responses.submittedAt), asc(responses.id))
        .limit(batchSize);
    }); // started now: transaction() runs at once
  yield* pagesAhead(fetchAfter, batchSize); // position is left in, unread: copying 5,000 rows a batch costs more
}

/** Where a row stands in submission order: its id and its time as the database holds it. */
export type Position = { id: string; position: string };

/**
 * Pages read one after another, each after the last row of the one before, the next page being read
 * while the caller works on the current one, so that database and caller overlap.
 */
export async function* pagesAhead<T extends Position>(fetchAfter: (after: T | null) => Promise<T[]>, pageSize: number): AsyncGenerator<T[]> {
  let pending: Promise<T[]> | null = fetchAfter(null);
  try {
    while (pending) {
      const fetched: T[] = await pending;
      pending = fetched.length === pageSize ? fetchAfter(fetched[fetched.length - 1]) : null;
      if (fetched.length > 0) yield fetched;
    }
  } finally {
    // A consumer that stops early (client gone) must not leave a rejected prefetch unhandled.
    pending?.catch(() => {});
  }
}
