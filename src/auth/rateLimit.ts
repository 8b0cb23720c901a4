import type { Context, MiddlewareHandler } from 'hono';
import { problemResponse } from '../http/problem.js';
import { clientIp } from './clientIp.js';

/**
 * In-memory token buckets, one per key. State lives in this process only: WORKERS processes each
 * enforce their share of the participant limits (shareAmongWorkers); separate instances behind a
 * load balancer each enforce the whole limit. Losing the counters on restart is harmless, which is why they are not kept in
 * PostgreSQL (a counter row per request would cost a write on the hottest path and contend on one
 * row per wave).
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  /** `rate` tokens per second, at most `burst` saved up. */
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

export type RateLimitConfig = {
  /** Public requests per minute per client IP (0 = off). */
  ipPerMinute: number;
  /** Public requests per second per wave link (0 = off). */
  wavePerSecond: number;
  /** Login attempts per minute per IP and per (email, IP); ten times that per email and hour (0 = off). */
  loginPerMinute: number;
  trustProxy: boolean;
};

function tooMany(c: Context, wait: number) {
  c.header('retry-after', String(wait));
  return problemResponse(c, {
    title: 'Too many requests',
    status: 429,
    detail: `Too many requests. Please wait ${wait} seconds and try again.`,
    title_ja: 'アクセスが集中しています',
    detail_ja: `しばらく（${wait} 秒ほど）待ってから、もう一度お試しください。回答内容はこの画面に残っています。`,
  });
}

/** Link key of a public path: /s/:slug…, /t/:token…, /api/public/s|t/:x/…; null for other paths. */
export function linkKey(path: string): string | null {
  const m = /^\/(?:api\/public\/)?([st])\/([^/]+)/.exec(path);
  return m ? `${m[1]}:${m[2]}` : null;
}

/** Limits for participant endpoints: per client IP and per wave link (open-link slug or invitation token). */
export function publicRateLimit(config: RateLimitConfig): MiddlewareHandler {
  const perIp = config.ipPerMinute > 0 ? new TokenBuckets(config.ipPerMinute / 60, Math.max(10, Math.ceil(config.ipPerMinute / 2))) : null;
  const perWave = config.wavePerSecond > 0 ? new TokenBuckets(config.wavePerSecond, config.wavePerSecond * 5) : null;
  return async (c, next) => {
    if (perIp) {
      const wait = perIp.take(clientIp(c, config.trustProxy));
      if (wait) return tooMany(c, wait);
    }
    if (perWave) {
      const key = linkKey(c.req.path);
      if (key) {
        const wait = perWave.take(key);
        if (wait) return tooMany(c, wait);
      }
    }
    await next();
  };
}

/**
 * Login attempts (and current-password guesses). A stranger must not be able to lock someone out:
 * the per-minute limit is per address and per (account, address), so guesses from one address stop
 * only that address; a slower cap per account (ten minutes' worth an hour) stops guessing spread over
 * many addresses.
 */
export function loginLimiter(config: RateLimitConfig) {
  const perMinute = config.loginPerMinute;
  const buckets = () => new TokenBuckets(perMinute / 60, perMinute);
  const perIp = perMinute > 0 ? buckets() : null;
  const perAccountAddress = perMinute > 0 ? buckets() : null;
  const perAccount = perMinute > 0 ? new TokenBuckets((perMinute * 10) / 3600, perMinute * 10) : null;
  /** Seconds to wait before this attempt may run, 0 when it may run now. */
  const attempt = (ip: string, account: string, now = Date.now()) =>
    perIp?.take(ip, now) || perAccountAddress?.take(`${account}\n${ip}`, now) || perAccount?.take(account, now) || 0;
  return {
    attempt,
    check(c: Context, account: string): Response | null {
      const wait = attempt(clientIp(c, config.trustProxy), account.toLowerCase());
      return wait ? tooMany(c, wait) : null;
    },
  };
}

/**
 * Each worker's part of the participant limits. Connections reach the workers in turn, so phones
 * (a fresh connection per visit or two) spread evenly and the limits hold for the server; a client
 * that keeps one connection open stays on one worker and meets that worker's share, which errs on
 * the safe side. Login attempts keep their full limit in each worker: a person retrying on one
 * connection would otherwise be locked out after a third of the attempts.
 */
export function shareAmongWorkers(config: RateLimitConfig, workers: number): RateLimitConfig {
  const share = (limit: number) => (limit > 0 ? Math.max(1, Math.ceil(limit / workers)) : 0);
  return { ...config, ipPerMinute: share(config.ipPerMinute), wavePerSecond: share(config.wavePerSecond) };
}

export const NO_RATE_LIMITS: RateLimitConfig = { ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 0, trustProxy: false };
