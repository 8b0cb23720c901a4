import { describe, expect, it } from 'vitest';
import { directStandardisation, wilsonInterval } from '../../analysis/index.js';

/**
 * Goldens computed once with scipy 1.17.1 (python3); the tests never call Python.
 *   from scipy.stats import binomtest
 *   ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson'); (ci.low, ci.high)
 * R 4.2.2 agrees, e.g. prop.test(7, 20, correct = FALSE)$conf.int: 0.18119182410108206 0.56714572331476365.
 */
const WILSON_GOLDENS: [number, number, number, number][] = [
  [0, 12, 0.0, 0.24249400665524085],
  [3, 12, 0.08894166839405471, 0.5323053349335657],
  [7, 40, 0.08745413746035918, 0.3194999033178771],
  [40, 40, 0.9123783988027133, 1.0],
  [1, 1, 0.20654931437723745, 1.0],
  [123, 1000, 0.10407414325107296, 0.1448112326470356],
  [5, 20, 0.11186170140766571, 0.468700877618744],
];

describe('wilsonInterval', () => {
  it.each(WILSON_GOLDENS)('%i of %i matches scipy binomtest(...).proportion_ci(method="wilson")', (k, n, low, high) => {
    const ci = wilsonInterval(k, n)!;
    expect(ci.lower).toBeCloseTo(low, 12);
    expect(ci.upper).toBeCloseTo(high, 12);
  });

  it('90% level: binomtest(7, 40).proportion_ci(confidence_level=0.90, method="wilson")', () => {
    const ci = wilsonInterval(7, 40, 0.9)!;
    expect(ci.lower).toBeCloseTo(0.0977604430891172, 12);
    expect(ci.upper).toBeCloseTo(0.2934192985304306, 12);
  });

  it('has no interval without respondents and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
  });
});

describe('directStandardisation', () => {
  /*
   * Golden computed once with numpy (python3):
   *   rates = {'male|20_29': [6.1, 30.2, 63.7], 'female|20_29': [8.4, 33.0, 58.6], 'male|70_79': [1.2, 20.5, 78.3], 'female|70_79': [2.5, 25.1, 72.4]}
   *   counts = {'male|20_29': 3, 'female|20_29': 9, 'male|70_79': 0, 'female|70_79': 14}
   *   [np.average([rates[k][c] for k in rates], weights=[counts[k] for k in rates]) for c in range(3)]
   *   → [4.957692307692308, 28.423076923076923, 66.61923076923077]
   * and with R 4.2.2, the same to 15 digits:
   *   rates <- rbind(c(6.1, 30.2, 63.7), c(8.4, 33.0, 58.6), c(1.2, 20.5, 78.3), c(2.5, 25.1, 72.4)); w <- c(3, 9, 0, 14)
   *   apply(rates, 2, weighted.mean, w = w)  → 4.9576923076923078 28.4230769230769234 66.6192307692307679
   */
  const national = [
    { stratum: 'male|20_29', percents: { often: 6.1, sometimes: 30.2, never: 63.7 } },
    { stratum: 'female|20_29', percents: { often: 8.4, sometimes: 33.0, never: 58.6 } },
    { stratum: 'male|70_79', percents: { often: 1.2, sometimes: 20.5, never: 78.3 } },
    { stratum: 'female|70_79', percents: { often: 2.5, sometimes: 25.1, never: 72.4 } },
  ];
  const sample = [
    { stratum: 'male|20_29', count: 3 },
    { stratum: 'female|20_29', count: 9 },
    { stratum: 'female|70_79', count: 14 },
    { stratum: 'other|20_29', count: 2 },
  ];

  it('weights each national stratum by the sample share (numpy golden)', () => {
    const s = directStandardisation(['often', 'sometimes', 'never'], national, sample);
    expect(s.percents.often).toBeCloseTo(4.957692307692308, 12);
    expect(s.percents.sometimes).toBeCloseTo(28.423076923076923, 12);
    expect(s.percents.never).toBeCloseTo(66.61923076923077, 12);
    expect(s.base).toBe(26);
    expect(s.weights.map((w) => w.count)).toEqual([3, 9, 0, 14]);
  });

  it('leaves out strata the national table lacks, and says so', () => {
    const s = directStandardisation(['often'], national, sample);
    expect(s.unmatched).toEqual([{ stratum: 'other|20_29', count: 2 }]);
  });

  it('gives no figure for a category a used stratum does not publish, never a guess', () => {
    const partial = [national[0], { stratum: 'female|20_29', percents: { often: 8.4 } }];
    const s = directStandardisation(['often', 'never'], partial, sample);
    expect(s.percents.often).toBeCloseTo((3 * 6.1 + 9 * 8.4) / 12, 12);
    expect(s.percents.never).toBeUndefined();
  });
});
