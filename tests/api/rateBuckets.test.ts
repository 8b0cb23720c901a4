import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresBuckets, sweepRateBuckets, type Bucket } from '../../src/auth/rateBuckets.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { describeEachDatabase, freshDatabase } from '../helpers/databases.js';

/** Slow refill (one a minute) so nothing refills while the test runs. */
const perAddress: Bucket = { name: 'ip', rate: 1 / 60, burst: 3 };

describeEachDatabase('rate-limit buckets in the database', (kind) => {
  let database: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ database, dispose } = await freshDatabase(kind));
  });
  afterAll(async () => dispose?.());

  it('a bucket allows its burst, then says how long to wait; other keys and other kinds are apart', async () => {
    const buckets = postgresBuckets(database);
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await buckets.take(perAddress, '203.0.113.9'));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThanOrEqual(59);
    expect(waits[4]).toBeGreaterThanOrEqual(59);
    expect(await buckets.take(perAddress, '198.51.100.7')).toBe(0);
    expect(await buckets.take({ ...perAddress, name: 'link' }, '203.0.113.9')).toBe(0);
  });

  it('requests checked together get no more than the bucket holds', async () => {
    const buckets = postgresBuckets(database);
    const waits = await Promise.all(Array.from({ length: 8 }, () => buckets.take(perAddress, 'together')));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
    expect(waits.filter((w) => w >= 59)).toHaveLength(5);
  });

  it('a full bucket is swept, one still refilling is kept', async () => {
    const buckets = postgresBuckets(database);
    await buckets.take({ name: 'fast', rate: 1000, burst: 1 }, 'k');
    await database.rows(sql`select pg_sleep(0.01)`);
    await sweepRateBuckets(database);
    const keys = (await database.rows<{ key: string }>(sql`select key from rate_limit_buckets`)).map((r) => r.key);
    expect(keys).not.toContain('fast\nk');
    expect(keys).toContain('ip\n203.0.113.9');
  });

  if (kind === 'postgres') {
    it('two connection pools (two servers) share one limit', async () => {
      const [{ db }] = await database.rows<{ db: string }>(sql`select current_database() as db`);
      const other = await openDatabase({ databaseUrl: Object.assign(new URL(process.env.TEST_DATABASE_URL!), { pathname: `/${db}` }).toString(), poolSize: 2 });
      try {
        const here = postgresBuckets(database);
        const there = postgresBuckets(other);
        const waits = [await here.take(perAddress, 'shared'), await there.take(perAddress, 'shared'), await here.take(perAddress, 'shared'), await there.take(perAddress, 'shared')];
        expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
        expect(waits[3]).toBeGreaterThan(0);
        // At the same moment through both: the rows are locked, so one bucket's burst in all.
        const racing = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? here : there).take(perAddress, 'raced')));
        expect(racing.filter((w) => w === 0)).toHaveLength(3);
      } finally {
        await other.close();
      }
    });
  }
});
