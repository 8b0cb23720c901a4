import { normalTwoSidedP } from './tails.js';

export interface TwoProportionZ {
  z: number | null;
  p: number | null;
}

/**
 * Two-sided two-proportion z-test with the pooled proportion under H0, without continuity correction;
 * z² equals R prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$statistic. Null when undefined
 * (an empty group, or a pooled proportion of 0 or 1 where the standard error vanishes).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoProportionZ {
  if (n1 <= 0 || n2 <= 0) return { z: null, p: null };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: null, p: null };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: normalTwoSidedP(z) };
}
