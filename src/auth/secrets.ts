import { createHash, createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { instanceSettings } from '../db/schema.js';

/** URL-safe random token: 24 bytes = 192 bits, unguessable for links and API tokens. */
export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Keyed hash so a stolen database does not reveal participant codes or invitation tokens. */
export function keyedHash(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/**
 * The hashing key: from HASH_SECRET, else generated once and kept in the database
 * so that every server process behind a load balancer uses the same key.
 */
export async function loadHashKey(database: Database, configured?: string): Promise<string> {
  if (configured) return configured;
  await database.db
    .insert(instanceSettings)
    .values({ key: 'hash_key', value: newToken(32) })
    .onConflictDoNothing();
  const [row] = await database.db.select().from(instanceSettings).where(eq(instanceSettings.key, 'hash_key'));
  return row.value;
}
