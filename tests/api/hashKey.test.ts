import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadHashKey } from '../../src/auth/secrets.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { instanceSettings } from '../../src/db/schema.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { useTestApp } from '../helpers/testApp.js';

/** Issue 11, point 6: the key for participant codes and invitation links never sits in the database. */
describeEachDatabase('the hashing key', (kind) => {
  const t = useTestApp(kind);
  const storedKey = async () => (await t.database.db.select().from(instanceSettings).where(eq(instanceSettings.key, 'hash_key')))[0]?.value;

  it('is made once in a key file only its owner can read, and nothing of it is in the database', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'hash-key-')), 'data-hash.key');
    const key = await loadHashKey(t.database, { keyFile });
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await loadHashKey(t.database, { keyFile })).toBe(key);
    expect(await storedKey()).toBeUndefined();
  });

  it('a key an earlier version kept in the database moves to the file and leaves the database', async () => {
    await t.database.db.insert(instanceSettings).values({ key: 'hash_key', value: 'an-old-key-from-the-database-0123' });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'hash-key-')), 'data-hash.key');
    expect(await loadHashKey(t.database, { keyFile })).toBe('an-old-key-from-the-database-0123');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe('an-old-key-from-the-database-0123');
    expect(await storedKey()).toBeUndefined();
  });

  it('a key file that does not belong to this database stops start-up instead of orphaning every code', async () => {
    await t.database.db.insert(instanceSettings).values({ key: 'hash_key', value: 'the-key-this-database-was-used-with' });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'hash-key-')), 'data-hash.key');
    writeFileSync(keyFile, 'some-other-installation-key-0123\n');
    await expect(loadHashKey(t.database, { keyFile })).rejects.toThrow(/different hashing key/);
    await t.database.db.delete(instanceSettings).where(eq(instanceSettings.key, 'hash_key'));
  });
});

describe('hashing key configuration', () => {
  it('the embedded database keeps its key beside DATA_DIR; a PostgreSQL server needs HASH_SECRET or HASH_KEY_FILE', () => {
    expect(loadConfig({ DATA_DIR: '/srv/survey/data/' }).hashKeyFile).toBe('/srv/survey/data-hash.key');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/survey' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/survey' })).toThrow(/HASH_SECRET or HASH_KEY_FILE/);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/survey', HASH_KEY_FILE: '/etc/survey/hash.key' }).hashKeyFile).toBe('/etc/survey/hash.key');
  });
});
