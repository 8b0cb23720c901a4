import type { Context, MiddlewareHandler } from 'hono';
import { problemResponse } from '../http/problem.js';
import { clientIp } from './clientIp.js';
import type { Bucket, RateBuckets } from './rateBuckets.js';

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

/**
 * Limits for participant endpoints: per client IP and per wave link (open-link slug or invitation token).
 * The buckets are shared by every server on one PostgreSQL (see rateBuckets), so the limits hold for
 * the service, not for each process.
 */
export function publicRateLimit(config: RateLimitConfig, buckets: RateBuckets): MiddlewareHandler {
  const perIp: Bucket | null =
    config.ipPerMinute > 0 ? { name: 'ip', rate: config.ipPerMinute / 60, burst: Math.max(10, Math.ceil(config.ipPerMinute / 2)) } : null;
  const perWave: Bucket | null = config.wavePerSecond > 0 ? { name: 'link', rate: config.wavePerSecond, burst: config.wavePerSecond * 5 } : null;
  return async (c, next) => {
    if (perIp) {
      const wait = await buckets.take(perIp, clientIp(c, config.trustProxy));
      if (wait) return tooMany(c, wait);
    }
    if (perWave) {
      const key = linkKey(c.req.path);
      if (key) {
        const wait = await buckets.take(perWave, key);
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
export function loginLimiter(config: RateLimitConfig, buckets: RateBuckets, purpose: 'login' | 'password') {
  const perMinute = config.loginPerMinute;
  const perAddress: Bucket = { name: `${purpose}.ip`, rate: perMinute / 60, burst: perMinute };
  const perAccountAddress: Bucket = { name: `${purpose}.account-ip`, rate: perMinute / 60, burst: perMinute };
  const perAccount: Bucket = { name: `${purpose}.account`, rate: (perMinute * 10) / 3600, burst: perMinute * 10 };
  /** Seconds to wait before this attempt may run, 0 when it may run now. */
  const attempt = async (ip: string, account: string) =>
    perMinute > 0
      ? (await buckets.take(perAddress, ip)) || (await buckets.take(perAccountAddress, `${account}\n${ip}`)) || (await buckets.take(perAccount, account))
      : 0;
  return {
    attempt,
    async check(c: Context, account: string): Promise<Response | null> {
      const wait = await attempt(clientIp(c, config.trustProxy), account.toLowerCase());
      return wait ? tooMany(c, wait) : null;
    },
  };
}

export const NO_RATE_LIMITS: RateLimitConfig = { ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 0, trustProxy: false };
