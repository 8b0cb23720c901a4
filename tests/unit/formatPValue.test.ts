import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPValue } from '../../analysis/index.js';

describe('formatPValue', () => {
  it('Japanese reports: 「p < 0.001」 below 0.001, otherwise 「p = 0.012」, 3 decimals rounded half up', () => {
    expect(formatPValue(1.52e-23)).toBe('p < 0.001');
    expect(formatPValue(0)).toBe('p < 0.001');
    expect(formatPValue(0.000999)).toBe('p < 0.001');
    expect(formatPValue(0.001)).toBe('p = 0.001');
    expect(formatPValue(0.0125)).toBe('p = 0.013'); // half up, not half even (0.012)
    expect(formatPValue(0.0121)).toBe('p = 0.012');
    expect(formatPValue(0.05)).toBe('p = 0.050');
    expect(formatPValue(0.2217)).toBe('p = 0.222');
    expect(formatPValue(0.99951)).toBe('p = 1.000');
    expect(formatPValue(1)).toBe('p = 1.000');
    expect(formatPValue(0.5, 'ja')).toBe('p = 0.500');
  });

  it('English variant in APA style, without the leading zero', () => {
    expect(formatPValue(3.96e-18, 'en')).toBe('p < .001');
    expect(formatPValue(0.0125, 'en')).toBe('p = .013');
    expect(formatPValue(1, 'en')).toBe('p = 1.000');
  });

  it('an undefined p is a dash; a p outside [0, 1] is an error', () => {
    expect(formatPValue(null)).toBe('p = —');
    expect(formatPValue(Number.NaN, 'en')).toBe('p = —');
    expect(() => formatPValue(-0.1)).toThrow(RangeError);
    expect(() => formatPValue(1.5)).toThrow(RangeError);
  });

  it('never prints "p = 0" and always 3 decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('ja' as const, 'en' as const), (p, lang) => {
        const s = formatPValue(p, lang);
        expect(s).toMatch(lang === 'ja' ? /^p (< 0\.001|= [01]\.\d{3})$/ : /^p (< \.001|= (\.\d{3}|1\.000))$/);
        expect(s).not.toMatch(/^p = 0?\.000$/);
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
  });
});
