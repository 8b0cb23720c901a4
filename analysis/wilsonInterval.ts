import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { bilingual } from './bilingual.js';

export const WILSON_METHOD = bilingual(
  'ウィルソンのスコア法（連続性の補正なし）',
  'Wilson score interval without continuity correction (R prop.test(x, n, correct = FALSE)$conf.int; scipy binomtest(k, n).proportion_ci(method="wilson"))',
);

/** A confidence interval for a proportion, as proportions (0–1). */
export type ProportionInterval = { lower: number; upper: number; confidence: number };

/**
 * The Wilson score interval for count / n: it stays inside 0–1 and keeps its coverage for the small
 * samples and extreme proportions programmes have (0 of 12 still gets an upper bound), where the
 * normal (Wald) interval does not. Null when n is 0.
 */
export function wilsonInterval(count: number, n: number, confidence = 0.95): ProportionInterval | null {
  if (!Number.isInteger(count) || !Number.isInteger(n) || count < 0 || count > n) {
    throw new RangeError(`wilsonInterval needs integer counts with 0 ≤ count ≤ n, got ${count} of ${n}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const p = count / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 and n the bound is exactly 0 or 1; the formula leaves a rounding crumb.
  return { lower: count === 0 ? 0 : centre - half, upper: count === n ? 1 : centre + half, confidence };
}
