import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { studies, waves } from '../db/schema.js';
import type { Staff } from './staff.js';

type Owned = { id: PgColumn; organisationId: PgColumn; studyId?: PgColumn; waveId?: PgColumn };

/**
 * The one place staff queries are limited to the caller's organisation:
 * every lookup of an owned row by id goes through here, so another organisation's ids answer 404.
 * A study-scoped user (a university evaluator given one study) is further limited to the granted
 * studies, their waves and what hangs off those waves; everything else answers 404 for them.
 */
export function owned(table: Owned, staff: Staff, id?: string): SQL {
  const conditions: SQL[] = [eq(table.organisationId, staff.organisationId)];
  if (id !== undefined) conditions.push(eq(table.id, id));
  if (staff.studyIds) conditions.push(studyScope(table, staff.studyIds));
  return and(...conditions)!;
}

function studyScope(table: Owned, studyIds: string[]): SQL {
  if (studyIds.length === 0) return sql`false`;
  if ((table as unknown) === studies) return inArray(studies.id, studyIds);
  if (table.studyId) return inArray(table.studyId, studyIds);
  if (table.waveId) {
    return inArray(table.waveId, sql`(select ${waves.id} from ${waves} where ${inArray(waves.studyId, studyIds)})`);
  }
  return sql`false`;
}
