import { describe, expect, it } from 'vitest';
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
