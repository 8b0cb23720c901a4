import { describe, expect, it } from 'vitest';
import { loginLimiter, shareAmongWorkers, TokenBuckets } from '../../src/auth/rateLimit.js';

describe('rate limits', () => {
  it('participant limits split among WORKERS processes add up to the configured limit; off stays off; never below 1; login keeps its limit', () => {
    const config = { ipPerMinute: 120, wavePerSecond: 50, loginPerMinute: 10, trustProxy: true };
    expect(shareAmongWorkers(config, 4)).toEqual({ ipPerMinute: 30, wavePerSecond: 13, loginPerMinute: 10, trustProxy: true });
    expect(shareAmongWorkers({ ...config, ipPerMinute: 0 }, 4).ipPerMinute).toBe(0);
    expect(shareAmongWorkers(config, 1)).toEqual(config);
    expect(shareAmongWorkers({ ...config, wavePerSecond: 1 }, 8).wavePerSecond).toBe(1);
  });

  it('a bucket allows its burst, then one request per 1/rate seconds', () => {
    const buckets = new TokenBuckets(2, 3);
    const at = 1_000_000;
    expect([0, 0, 0].map(() => buckets.take('ip', at))).toEqual([0, 0, 0]);
    expect(buckets.take('ip', at)).toBe(1);
    expect(buckets.take('ip', at + 500)).toBe(0);
    expect(buckets.take('other', at)).toBe(0);
  });
});

describe('login limits', () => {
  const at = 1_000_000;

  it('guesses from one address stop that address, not the person logging in from another', () => {
    const limiter = loginLimiter({ ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 10, trustProxy: false });
    const fromAttacker = Array.from({ length: 11 }, () => limiter.attempt('203.0.113.9', 'victim@example.jp', at));
    expect(fromAttacker.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(fromAttacker[10]).toBeGreaterThan(0);
    expect(limiter.attempt('198.51.100.7', 'victim@example.jp', at)).toBe(0);
  });

  it('guessing one account from many addresses meets a slower cap per account', () => {
    const limiter = loginLimiter({ ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 10, trustProxy: false });
    const waits = Array.from({ length: 101 }, (_, i) => limiter.attempt(`192.0.2.${i}`, 'victim@example.jp', at));
    expect(waits.slice(0, 100).every((w) => w === 0)).toBe(true);
    expect(waits[100]).toBeGreaterThan(0);
    expect(limiter.attempt('192.0.2.200', 'someone-else@example.jp', at)).toBe(0);
  });
});
