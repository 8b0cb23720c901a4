import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/*
 * Upper-tail probabilities computed directly, never as 1 − CDF: near 1 a double holds nothing below
 * about 1e-16, so 1 − CDF turns every p smaller than that into 0 (and loses digits well above it).
 */

/**
 * P(X ≥ x) for X ~ χ²(df), the regularised upper incomplete gamma Q(df/2, x/2)
 * (R pchisq(x, df, lower.tail = FALSE), scipy.stats.chi2.sf(x, df)).
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Two-sided normal p-value 2·Φ(−|z|) (R 2 * pnorm(-abs(z))), at most 1. */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}
