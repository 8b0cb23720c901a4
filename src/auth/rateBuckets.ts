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

/**
 * The same token buckets as rows in PostgreSQL, so a limit holds for every server on the database
 * together. One statement per request: refill by the time since the last request, take a token when
 * one is there, say whether it was. Time is the database's clock, so servers whose clocks differ
 * still agree.
 */
export function postgresBuckets(database: Database): RateBuckets {
  return {
    async take({ name, rate, burst }, key) {
      const [row] = await database.rows<{ allowed: boolean; tokens: number }>(sql`
        insert into rate_limit_buckets as b (key, tokens, at, allowed, full_at)
        values (${`${name}\n${key}`}, ${burst}::float8 - 1, now(), true, now() + make_interval(secs => 1 / ${rate}::float8))
        on conflict (key) do update set (tokens, allowed, at, full_at) = (
          select left_over, s.t >= 1, now(), now() + make_interval(secs => (${burst}::float8 - left_over) / ${rate}::float8)
          from (select least(${burst}::float8, b.tokens + extract(epoch from now() - b.at)::float8 * ${rate}::float8) as t) s,
            lateral (select case when s.t >= 1 then s.t - 1 else s.t end as left_over) l
        )
        returning allowed, tokens`);
      return row.allowed ? 0 : Math.ceil((1 - Number(row.tokens)) / rate);
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
