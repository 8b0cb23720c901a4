import { eq } from 'drizzle-orm';
import type { Staff } from '../auth/staff.js';
import { owned } from '../auth/scope.js';
import type { Database } from '../db/database.js';
import { questionnaireVersions, waves } from '../db/schema.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';

/** A wave of the caller's organisation with the version it collects, or 404. */
export async function loadOwnedWave(database: Database, staff: Staff, id: string) {
  const [row] = await database.db
    .select({ wave: waves, version: questionnaireVersions })
    .from(waves)
    .innerJoin(questionnaireVersions, eq(questionnaireVersions.id, waves.versionId))
    .where(owned(waves, staff, uuidParam(id, 'Wave')));
  if (!row) throw problems.notFound('Wave');
  return row;
}
