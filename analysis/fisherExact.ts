import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

export interface FisherExactResult extends ResultMeta {
  n: number;
  /** Sample odds ratio a·d/(b·c), the statistic scipy.stats.fisher_exact reports; null when b·c = 0. */
  oddsRatio: number | null;
  p: number;
}

// R fisher.test's tolerance: tables whose probability equals the observed one up to rounding count as "as extreme".
const REL_ERR = 1 + 1e-7;

/** Fisher's exact test for a 2×2 table [[a, b], [c, d]], two-sided. */
export function fisherExact2x2(table: number[][]): FisherExactResult {
  if (table.length !== 2 || table.some((r) => r.length !== 2)) throw new RangeError('fisherExact2x2: needs a 2×2 table');
  const [[a, b], [c, d]] = table;
  if ([a, b, c, d].some((x) => !Number.isInteger(x) || x < 0)) throw new RangeError('fisherExact2x2: counts must be non-negative integers');
  const n = a + b + c + d;
  const row1 = a + b;
  const col1 = a + c;
  const lo = Math.max(0, col1 - (n - row1));
  const hi = Math.min(row1, col1);
  const pObserved = hypergeometricPmf(a, n, row1, col1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = hypergeometricPmf(x, n, row1, col1);
    if (px <= pObserved * REL_ERR) p += px;
  }
  const warnings: string[] = [];
  let oddsRatio: number | null = null;
  if (b * c > 0) oddsRatio = (a * d) / (b * c);
  else warnings.push(bilingual('オッズ比は定義できません（b·c = 0）。null としています（scipy では inf）。', 'Odds ratio undefined (b·c = 0): reported as null (scipy reports inf).'));
  if (n === 0) warnings.push(bilingual('表が空です。', 'Empty table.'));
  return {
    n,
    oddsRatio,
    p: Math.min(1, p),
    method: bilingual(
      'フィッシャーの正確確率検定（両側）。',
      "Fisher's exact test, two-sided: sum of hypergeometric probabilities of all tables with the observed margins " +
      'that are no more probable than the observed one (relative tolerance 1e-7, as R fisher.test; reference ' +
      'scipy.stats.fisher_exact(table, alternative="two-sided")); odds ratio is the sample a·d/(b·c)',
    ),
    warnings,
  };
}
