import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percent, roundHalfUp } from '../../analysis/index.js';
import { goldens } from './fixtures.js';

describe('roundHalfUp', () => {
  it('rounds the decimal value, not the binary approximation', () => {
    expect(roundHalfUp(30.605, 2)).toBe(30.61); // 30.605 is stored as 30.60499999…
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
    expect(roundHalfUp(0.125, 2)).toBe(0.13);
    expect(roundHalfUp((68 / 184) * 100, 2)).toBe(36.96);
    expect(roundHalfUp(36.955, 2)).toBe(36.96);
    expect(roundHalfUp(36.954999, 2)).toBe(36.95);
  });
  it('rounds halves away from zero and handles integers and large numbers', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(-2.5)).toBe(-3);
    expect(roundHalfUp(-30.605, 2)).toBe(-30.61);
    expect(roundHalfUp(-0.001, 2)).toBe(0);
    expect(Object.is(roundHalfUp(-0.001, 2), -0)).toBe(false);
    expect(roundHalfUp(123456789.125, 2)).toBe(123456789.13);
    expect(roundHalfUp(1e-7, 2)).toBe(0);
    expect(roundHalfUp(41.025641025641026, 2)).toBe(41.03);
  });
});

describe('percent', () => {
  it('reproduces the Kesennuma rates (golden: Python Decimal ROUND_HALF_UP)', () => {
    for (const row of Object.values(goldens.rounding.kesennuma) as { complete: number; frame: number; percent: number }[]) {
      expect(percent(row.complete, row.frame)).toBe(row.percent);
    }
    expect(percent(68, 184)).toBe(36.96);
    expect(percent(68, 184)).not.toBe(36.95); // the printed, mis-rounded value
  });
  it('is exact at ties and null without a base', () => {
    expect(percent(1, 8, 0)).toBe(13); // 12.5 → 13
    expect(percent(1, 16, 1)).toBe(6.3); // 6.25 → 6.3
    expect(percent(1, 3, 2)).toBe(33.33);
    expect(percent(2, 3, 2)).toBe(66.67);
    expect(percent(5, 0)).toBeNull();
    expect(percent(0.5, 4, 1)).toBe(12.5); // non-integer path
  });
});

describe('roundHalfUp: any finite x, decimals 0..15', () => {
  it('gives x back when x·10^decimals is beyond 15 significant digits', () => {
    expect(roundHalfUp(1e6, 15)).toBe(1e6); // was NaN ("1e+21e-15")
    expect(roundHalfUp(-1e6, 15)).toBe(-1e6);
    expect(roundHalfUp(1e300, 3)).toBe(1e300);
    expect(roundHalfUp(Number.MAX_VALUE, 15)).toBe(Number.MAX_VALUE);
    expect(roundHalfUp(123456789.12345678, 15)).toBe(123456789.12345678);
    expect(roundHalfUp(1e15 + 0.5)).toBe(1e15 + 1); // representable tie, rounded up
    expect(roundHalfUp(0.1234567890123456, 15)).toBe(0.123456789012346);
    expect(roundHalfUp(0.1 + 0.2, 15)).toBe(0.3);
    expect(roundHalfUp(5e-324, 15)).toBe(0);
  });

  const decimals = fc.integer({ min: 0, max: 15 });
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('is finite, within half a unit of the last place, idempotent, odd, and has at most `decimals` decimals', () => {
    fc.assert(
      fc.property(finite, decimals, (x, d) => {
        const r = roundHalfUp(x, d);
        expect(Number.isFinite(r)).toBe(true);
        // Half a unit, plus the 15-significant-digit reading (≤ 5e-15 relative) and the final conversion.
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 * 10 ** -d * (1 + 1e-12) + Math.abs(x) * 1e-14);
        expect(roundHalfUp(r, d)).toBe(r);
        expect(roundHalfUp(-x, d) === -r).toBe(true); // === so that 0 and −0 count as equal
        if (Math.abs(r) < 1e21) expect(Number(r.toFixed(d))).toBe(r);
      }),
      { numRuns: 5000, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
  });

  it('equals exact decimal round-half-up of every number of at most 15 significant digits', () => {
    // x = m·10^-k with |m| < 10^15: the reference rounds m in BigInt arithmetic.
    const m = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n });
    const k = fc.integer({ min: 0, max: 30 });
    fc.assert(
      fc.property(m, k, decimals, (mm, kk, d) => {
        const x = Number(`${mm}e-${kk}`);
        const abs = mm < 0n ? -mm : mm;
        let expected: number;
        if (kk <= d) expected = Math.abs(x);
        else {
          const unit = 10n ** BigInt(kk - d);
          let q = abs / unit;
          if (2n * (abs % unit) >= unit) q += 1n;
          expected = Number(`${q}e-${d}`);
        }
        const signed = mm < 0n && expected !== 0 ? -expected : expected;
        expect(roundHalfUp(x, d)).toBe(signed);
      }),
      { numRuns: 5000, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
  });
});
