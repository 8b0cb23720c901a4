import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf';
import type { ResultMeta } from './types.js';

export interface WilcoxonSignedRankResult extends ResultMeta {
  /** Non-zero differences, the n of the test. */
  n: number;
  zerosDropped: number;
  /** V = sum of ranks of positive differences (post − pre > 0), R's statistic. */
  v: number | null;
  /** Sum of ranks of negative differences. */
  vNegative: number | null;
  ties: boolean;
  exact: boolean;
  /** Continuity-corrected z of the normal approximation; null when the exact distribution was used. */
  z: number | null;
  p: number | null;
  /** Matched-pairs rank-biserial correlation (W+ − W−)/(W+ + W−), positive when post > pre. */
  rankBiserial: number | null;
}

/** Average ranks (1-based) with ties sharing the mean of their positions, plus tie-group sizes. */
function averageRanks(values: number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const avg = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]] = avg;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

export const WILCOXON_METHOD =
  'Wilcoxon signed-rank test, two-sided, as R wilcox.test(post, pre, paired = TRUE) with its defaults: ' +
  'differences post − pre, zero differences dropped; statistic V = sum of ranks of positive differences; ' +
  'exact p (signed-rank distribution) when fewer than 50 non-zero differences and no ties or zeros, otherwise ' +
  'normal approximation with tie-corrected variance and continuity correction 0.5';

/**
 * R's conventions were chosen over scipy's default because R gives the exact p for the small samples
 * typical of a programme evaluation and keeps the continuity correction otherwise.
 */
export function wilcoxonSignedRank(differences: number[]): WilcoxonSignedRankResult {
  const warnings: string[] = [];
  const nonZero = differences.filter((d) => d !== 0);
  const zerosDropped = differences.length - nonZero.length;
  const n = nonZero.length;
  if (zerosDropped > 0) warnings.push(`${zerosDropped} zero difference(s) dropped.`);
  if (n === 0) {
    warnings.push('All differences are zero: the test is undefined.');
    return { n, zerosDropped, v: null, vNegative: null, ties: false, exact: false, z: null, p: null, rankBiserial: null, method: WILCOXON_METHOD, warnings };
  }
  const { ranks, tieSizes } = averageRanks(nonZero.map(Math.abs));
  const v = nonZero.reduce((s, d, i) => (d > 0 ? s + ranks[i] : s), 0);
  const total = (n * (n + 1)) / 2;
  const vNegative = total - v;
  const ties = tieSizes.some((t) => t > 1);
  const exact = n < 50 && !ties && zerosDropped === 0;
  let z: number | null = null;
  let p: number | null;
  if (exact) {
    const oneSided = v > total / 2 ? 1 - signrankCdf(v - 1, n) : signrankCdf(v, n);
    p = Math.min(1, 2 * oneSided);
  } else {
    const centred = v - total / 2;
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSizes.reduce((s, t) => s + (t ** 3 - t), 0) / 48);
    if (sigma > 0) {
      z = (centred - Math.sign(centred) * 0.5) / sigma;
      p = Math.min(1, 2 * Math.min(normalCdf(z, 0, 1), 1 - normalCdf(z, 0, 1)));
    } else {
      p = null;
      warnings.push('Zero variance of the statistic: p undefined.');
    }
    warnings.push(
      `Normal approximation used (${n >= 50 ? 'n ≥ 50' : [ties ? 'ties' : '', zerosDropped ? 'zeros' : ''].filter(Boolean).join(' and ')}).`,
    );
  }
  return { n, zerosDropped, v, vNegative, ties, exact, z, p, rankBiserial: (v - vNegative) / total, method: WILCOXON_METHOD, warnings };
}
