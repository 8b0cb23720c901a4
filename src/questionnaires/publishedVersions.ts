import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { questionnaireVersions } from '../db/schema.js';
import { VersionCache } from './versionCache.js';

type Version = typeof questionnaireVersions.$inferSelect;

const caches = new WeakMap<Database, VersionCache<Version>>();

/**
 * A published questionnaire version, read from the database once and then kept: published versions
 * never change, and every participant submission needs its definition (several KB of JSON).
 */
export async function publishedVersion(database: Database, id: string): Promise<Version | undefined> {
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = new VersionCache(500)));
  const hit = cache.get(id);
  if (hit) return hit;
  const [version] = await database.db
    .select()
    .from(questionnaireVersions)
    .where(and(eq(questionnaireVersions.id, id), eq(questionnaireVersions.status, 'published')));
  return version && cache.set(id, version);
}
