import { and, count, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { invitations } from '../db/schema.js';

export type Disposition = (typeof invitations.$inferSelect)['disposition'];

/** complete and partial come from a unit's response, so staff can record only these. */
export const RECORDABLE_DISPOSITIONS = ['pending', 'refused', 'non-contact', 'ineligible', 'unknown'] as const satisfies readonly Disposition[];
const ANSWERED: Disposition[] = ['complete', 'partial'];

export const dispositionSchema = z.enum(RECORDABLE_DISPOSITIONS);

/** Field workers return lists of a few hundred; 5,000 ids stay under PostgreSQL's parameter limit (MAX_BODY_BYTES may refuse long ids sooner, with 413). */
export const bulkDispositionsSchema = z
  .object({
    unitIds: z.array(z.string().trim().min(1).max(200)).min(1).max(5000),
    disposition: dispositionSchema,
  })
  .strict();

export type DispositionOutcome = {
  updated: { unitId: string; disposition: Disposition }[];
  /** Units whose disposition comes from their response; left as they are. */
  answered: { unitId: string; disposition: Disposition }[];
  /** Ids not in this wave's frame. */
  unknown: string[];
};

/**
 * Records what happened to invited units that did not answer, for the AAPOR rates. One transaction,
 * so a list is recorded whole; a unit that answers meanwhile keeps its answer (the update skips it).
 */
export async function recordDispositions(database: Database, waveId: string, unitIds: string[], disposition: z.infer<typeof dispositionSchema>): Promise<DispositionOutcome> {
  const ids = [...new Set(unitIds)];
  return database.db.transaction(async (tx) => {
    const inWave = and(eq(invitations.waveId, waveId), inArray(invitations.unitId, ids));
    const updated = await tx
      .update(invitations)
      .set({ disposition, updatedAt: new Date() })
      .where(and(inWave, notInArray(invitations.disposition, ANSWERED)))
      .returning({ unitId: invitations.unitId, disposition: invitations.disposition });
    const done = new Set(updated.map((u) => u.unitId));
    const rest = ids.filter((id) => !done.has(id));
    const found = new Map(
      rest.length === 0
        ? []
        : (await tx
            .select({ unitId: invitations.unitId, disposition: invitations.disposition })
            .from(invitations)
            .where(and(eq(invitations.waveId, waveId), inArray(invitations.unitId, rest)))).map((a) => [a.unitId, a] as const),
    );
    // In the order given, so staff can find them in their list.
    return {
      updated,
      answered: rest.flatMap((id) => found.get(id) ?? []),
      unknown: rest.filter((id) => !found.has(id)),
    };
  });
}

/** Units of a wave's frame by disposition, for the frame page. */
export async function frameCounts(database: Database, waveId: string): Promise<Partial<Record<Disposition, number>>> {
  const rows = await database.db
    .select({ disposition: invitations.disposition, n: count() })
    .from(invitations)
    .where(eq(invitations.waveId, waveId))
    .groupBy(invitations.disposition);
  return Object.fromEntries(rows.map((r) => [r.disposition, Number(r.n)]));
}
