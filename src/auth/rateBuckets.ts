import { lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { rateLimitBuckets } from '../db/schema.js';

/** One kind of limit: `rate` requests per second, at most `burst` saved up. The name keeps kinds apart. */
export type Bucket = { name: string; rate: number; burst: number };

/** Takes one token from `key`'s bucket of that kind; resolves to 0 when allowed, else the seconds to wait. */
export type RateBuckets = { take(bucket: Bucket, key: string): Promise<number> };

/**
 * Token buckets in this process's memory. State lives in this process only, so this is for the
 * embedded database (one process by design); losing the counters on restart is harmless.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.rate);
  }

  /** Drops full buckets (idle keys); if still too many, starts afresh rather than grow without bound. */
  private sweep(now: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

export function memoryBuckets(now: () => number = Date.now): RateBuckets {
  const kinds = new Map<string, TokenBuckets>();
  return {
    async take(bucket, key) {
      let buckets = kinds.get(bucket.name);
      if (!buckets) kinds.set(bucket.name, (buckets = new TokenBuckets(bucket.rate, bucket.burst)));
      return buckets.take(key, now());
    },
  };
}

type Take = { bucket: Bucket; key: string; resolve: (wait: number) => void; reject: (error: unknown) => void };

/** Batches in flight at once, as for responses (src/collection/responseWriter.ts). */
const CONCURRENT_BATCHES = 2;

/**
 * The same token buckets as rows in PostgreSQL, so a limit holds for every server on the database
 * together. Requests that arrive while earlier ones are being checked go out together: a batch
 * makes sure each bucket has a row, then locks its rows (in key order, so two batches never
 * deadlock), refills each by the time since its last request (never negative: a batch that waited for
 * another's lock may have started before it), and hands out up to as many tokens
 * as requests for it in the batch (the first come get them). Time is the database's clock, so
 * servers whose clocks differ still agree. A request per statement instead cost a round trip each
 * and, on one wave's link, a queue on one row.
 */
export function postgresBuckets(database: Database): RateBuckets {
  let waiting: Take[] = [];
  let inFlight = 0;

  async function check(batch: Take[]) {
    const byKey = new Map<string, Take[]>();
    for (const take of batch) {
      const k = `${take.bucket.name}\n${take.key}`;
      byKey.set(k, [...(byKey.get(k) ?? []), take]);
    }
    const wanted = [...byKey].map(([key, takes]) => ({ key, wanted: takes.length, rate: takes[0].bucket.rate, burst: takes[0].bucket.burst }));
    const given = sql`jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(key text, wanted int, rate float8, burst float8)`;
    await database.db.execute(sql`
      insert into rate_limit_buckets (key, tokens, at, allowed, full_at) select w.key, w.burst, now(), true, now() from ${given}
      on conflict (key) do nothing`);
    const rows = await database.rows<{ key: string; granted: number; left: number }>(sql`
      with locked as (select b.key, b.tokens, b.at from rate_limit_buckets b where b.key in (select w.key from ${given}) order by b.key for update),
      refilled as (
        select w.key, w.wanted, w.rate, w.burst, least(w.burst, l.tokens + greatest(0, extract(epoch from now() - l.at)::float8) * w.rate) as t, greatest(l.at, now()) as at
        from ${given} join locked l on l.key = w.key),
      counted as (select r.*, least(r.wanted, floor(r.t))::int as granted from refilled r),
      updated as (
        update rate_limit_buckets b set tokens = c.t - c.granted, at = c.at, allowed = c.granted = c.wanted,
          full_at = c.at + make_interval(secs => (c.burst - (c.t - c.granted)) / c.rate)
        from counted c where b.key = c.key)
      select key, granted, t - granted as left from counted`);
    for (const row of rows) {
      const takes = byKey.get(row.key)!;
      const wait = Math.ceil((1 - Number(row.left)) / takes[0].bucket.rate);
      takes.forEach((take, i) => take.resolve(i < row.granted ? 0 : wait));
    }
  }

  function flush() {
    while (inFlight < CONCURRENT_BATCHES && waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      inFlight++;
      check(batch)
        .catch((error) => batch.forEach((take) => take.reject(error)))
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  }

  return {
    take(bucket, key) {
      return new Promise((resolve, reject) => {
        waiting.push({ bucket, key, resolve, reject });
        flush();
      });
    },
  };
}

/** Shared buckets on PostgreSQL (several servers may use it); this process's memory on the embedded database. */
export function rateBuckets(database: Database): RateBuckets {
  return database.driver === 'postgres' ? postgresBuckets(database) : memoryBuckets();
}

/** Drops buckets that have refilled: they would let the next request through anyway. Run by housekeeping. */
export async function sweepRateBuckets(database: Database) {
  await database.db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.fullAt, sql`now()`));
}
