import { and, asc, count, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import type { Disposition } from '../collection/dispositions.js';
import type { Database } from '../db/database.js';
import { invitations } from '../db/schema.js';

/** Which invited units: by disposition (e.g. pending for a reminder), by unit ids, or unit ids starting with a search. */
export type UnitFilter = { disposition?: Disposition[]; unitIds?: string[]; search?: string };

export type ListedUnit = Pick<typeof invitations.$inferSelect, 'id' | 'unitId' | 'attributes' | 'disposition' | 'tokenIssue' | 'updatedAt'>;

const columns = {
  id: invitations.id,
  unitId: invitations.unitId,
  attributes: invitations.attributes,
  disposition: invitations.disposition,
  tokenIssue: invitations.tokenIssue,
  updatedAt: invitations.updatedAt,
};

function where(waveId: string, filter: UnitFilter): SQL {
  const conditions = [eq(invitations.waveId, waveId)];
  if (filter.disposition?.length) conditions.push(inArray(invitations.disposition, filter.disposition));
  if (filter.unitIds) conditions.push(inArray(invitations.unitId, filter.unitIds));
  // A prefix search: staff look a unit up by the id on their own list; LIKE's wildcards are taken literally.
  if (filter.search) conditions.push(ilike(invitations.unitId, `${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`));
  return and(...conditions)!;
}

/** One page of a wave's units in frame order, and how many match: a 10,000-unit frame is never read whole for a page. */
export async function unitPage(database: Database, waveId: string, filter: UnitFilter, page: { offset: number; limit: number }) {
  const [units, [{ n }]] = await Promise.all([
    database.db.select(columns).from(invitations).where(where(waveId, filter)).orderBy(asc(invitations.createdAt), asc(invitations.id)).offset(page.offset).limit(page.limit),
    database.db.select({ n: count() }).from(invitations).where(where(waveId, filter)),
  ]);
  return { units: units as ListedUnit[], total: Number(n) };
}

/** Every matching unit in frame order, for exports and printed letters. */
export async function allUnits(database: Database, waveId: string, filter: UnitFilter): Promise<ListedUnit[]> {
  return database.db.select(columns).from(invitations).where(where(waveId, filter)).orderBy(asc(invitations.createdAt), asc(invitations.id));
}

/** One unit of a wave, with its e-mail for the detail page; undefined when it is not in the frame. */
export async function oneUnit(database: Database, waveId: string, unitId: string) {
  const [row] = await database.db.select().from(invitations).where(and(eq(invitations.waveId, waveId), eq(invitations.unitId, unitId)));
  return row;
}
