import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/**
 * Keyed hash of participant codes and invitation tokens. Whoever has the database but not the key
 * cannot check a guess against a stored hash, so the key is never kept in the database (a dump or a
 * stolen disk of the database reveals nothing); without the key, short codes fall to brute force.
 */
export function keyedHash(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

export type HashKeySource = { secret?: string; keyFile?: string };

/**
 * The hashing key: HASH_SECRET, else the key file (created once, readable by its owner only).
 * A key an earlier version kept in the database is moved into the file and deleted there.
 */
export async function loadHashKey(database: Database, source: HashKeySource): Promise<string> {
  if (source.secret) return source.secret;
  if (!source.keyFile) throw new Error('The hashing key needs HASH_SECRET or HASH_KEY_FILE.');
  const [stored] = await database.db.select().from(instanceSettings).where(eq(instanceSettings.key, 'hash_key'));
  if (existsSync(source.keyFile)) {
    const key = readFileSync(source.keyFile, 'utf8').trim();
    if (key.length < 16) throw new Error(`The hashing key in ${source.keyFile} is shorter than 16 characters.`);
    if (stored && stored.value !== key) throw new Error(`${source.keyFile} holds a different hashing key than the one this database was used with; restore the right file.`);
    if (stored) await database.db.delete(instanceSettings).where(eq(instanceSettings.key, 'hash_key'));
    return key;
  }
  const key = stored?.value ?? newToken(32);
  mkdirSync(dirname(source.keyFile), { recursive: true });
  // 'wx': never overwrite a key another process wrote meanwhile.
  writeFileSync(source.keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' });
  if (stored) await database.db.delete(instanceSettings).where(eq(instanceSettings.key, 'hash_key'));
  return key;
}
