import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { questionnaireVersions } from '../db/schema.js';

type Version = typeof questionnaireVersions.$inferSelect;

const LIMIT = 500;
const caches = new WeakMap<Database, Map<string, Version>>();

/**
 * A published questionnaire version, read from the database once and then kept: published versions
 * never change, and every participant submission needs its definition (several KB of JSON).
 */
export async function publishedVersion(database: Database, id: string): Promise<Version | undefined> {
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = new Map()));
  const hit = cache.get(id);
  if (hit) return hit;
  const [version] = await database.db
    .select()
    .from(questionnaireVersions)
    .where(and(eq(questionnaireVersions.id, id), eq(questionnaireVersions.status, 'published')));
  if (!version) return undefined;
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(id, version);
  return version;
}
