import { afterEach, describe, expect, it, vi } from 'vitest';
import { recentLinks } from '../../src/collection/recentLinks.js';

describe('recentLinks', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a known link once within its time, again after it; never keeps an unknown one', async () => {
    vi.useFakeTimers();
    const reads: string[] = [];
    const lookup = recentLinks(async (slug) => (reads.push(slug), slug.startsWith('known') ? { slug } : undefined), { ttlMs: 5000 });
    await lookup('known-1');
    await lookup('known-1');
    await lookup('nowhere');
    await lookup('nowhere');
    expect(reads).toEqual(['known-1', 'nowhere', 'nowhere']);
    vi.advanceTimersByTime(5001);
    await lookup('known-1');
    expect(reads).toEqual(['known-1', 'nowhere', 'nowhere', 'known-1']);
  });

  it('starts afresh rather than grow past its limit', async () => {
    const reads: string[] = [];
    const lookup = recentLinks(async (slug) => (reads.push(slug), { slug }), { limit: 2 });
    for (const slug of ['a', 'b', 'c', 'a']) await lookup(slug);
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
