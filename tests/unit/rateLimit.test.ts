import { describe, expect, it } from 'vitest';
import { shareAmongWorkers, TokenBuckets } from '../../src/auth/rateLimit.js';

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
