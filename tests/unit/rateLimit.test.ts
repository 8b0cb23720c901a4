import { describe, expect, it } from 'vitest';
import { memoryBuckets, TokenBuckets } from '../../src/auth/rateBuckets.js';
import { loginLimiter } from '../../src/auth/rateLimit.js';

describe('rate limits', () => {
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
  const config = { ipPerMinute: 0, wavePerSecond: 0, loginPerMinute: 10, trustProxy: false };
  const limiter = () => loginLimiter(config, memoryBuckets(() => 1_000_000), 'login');

  it('guesses from one address stop that address, not the person logging in from another', async () => {
    const { attempt } = limiter();
    const fromAttacker = [];
    for (let i = 0; i < 11; i++) fromAttacker.push(await attempt('203.0.113.9', 'victim@example.jp'));
    expect(fromAttacker.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(fromAttacker[10]).toBeGreaterThan(0);
    expect(await attempt('198.51.100.7', 'victim@example.jp')).toBe(0);
  });

  it('guessing one account from many addresses meets a slower cap per account', async () => {
    const { attempt } = limiter();
    const waits = [];
    for (let i = 0; i < 101; i++) waits.push(await attempt(`192.0.2.${i}`, 'victim@example.jp'));
    expect(waits.slice(0, 100).every((w) => w === 0)).toBe(true);
    expect(waits[100]).toBeGreaterThan(0);
    expect(await attempt('192.0.2.200', 'someone-else@example.jp')).toBe(0);
  });

  it('password guesses and login attempts count apart', async () => {
    const buckets = memoryBuckets(() => 1_000_000);
    const login = loginLimiter(config, buckets, 'login');
    const password = loginLimiter(config, buckets, 'password');
    for (let i = 0; i < 10; i++) await login.attempt('203.0.113.9', 'a@example.jp');
    expect(await login.attempt('203.0.113.9', 'a@example.jp')).toBeGreaterThan(0);
    expect(await password.attempt('203.0.113.9', 'password:a')).toBe(0);
  });
});
