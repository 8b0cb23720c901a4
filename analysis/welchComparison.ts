import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, type Descriptives } from './descriptives.js';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

export interface WelchComparisonResult extends ResultMeta {
  /** Always false: the two waves are treated as independent samples. */
  paired: false;
  n: number;
  pre: Descriptives;
  post: Descriptives;
  /** mean(post) − mean(pre). */
  meanDiff: number | null;
  t: number | null;
  df: number | null;
  p: number | null;
  confLevel: number;
  ci: [number, number] | null;
  /** Cohen's d with the average-variance standardiser sqrt((sd_pre² + sd_post²)/2). */
  d: number | null;
}

/**
 * For waves whose participants cannot be linked: treats them as two independent samples. Less powerful
 * and, if the same people answered both, it ignores their correlation, hence the explicit label.
 */
export function welchComparison(pre: number[], post: number[], options: { confLevel?: number } = {}): WelchComparisonResult {
  const confLevel = options.confLevel ?? 0.95;
  const warnings: string[] = [bilingual('対応のない比較です。参加者は2回の調査の間で対応づけられていません。', 'Unpaired comparison: participants are not linked across waves.')];
  const a = describe(pre);
  const b = describe(post);
  const meanDiff = a.mean !== null && b.mean !== null ? b.mean - a.mean : null;
  let t: number | null = null;
  let df: number | null = null;
  let p: number | null = null;
  let ci: [number, number] | null = null;
  let d: number | null = null;
  if (a.sd === null || b.sd === null || meanDiff === null) warnings.push(bilingual('各回に2つ以上の得点が必要です。', 'Each wave needs at least 2 scores.'));
  else {
    const va = (a.sd ** 2) / a.n;
    const vb = (b.sd ** 2) / b.n;
    const se = Math.sqrt(va + vb);
    if (se > 0) {
      t = meanDiff / se;
      // Welch–Satterthwaite degrees of freedom.
      df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
      p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
      const q = tQuantile(1 - (1 - confLevel) / 2, df);
      ci = [meanDiff - q * se, meanDiff + q * se];
      d = meanDiff / Math.sqrt((a.sd ** 2 + b.sd ** 2) / 2);
    } else warnings.push(bilingual('両方の回で分散が0のため、t は定義できません。', 'Both waves have zero variance: t undefined.'));
  }
  return {
    paired: false,
    n: pre.length + post.length,
    pre: a,
    post: b,
    meanDiff,
    t,
    df,
    p,
    confLevel,
    ci,
    d,
    method: bilingual(
      'ウェルチのt検定（対応のない2標本、等分散を仮定しない、両側）。',
      'Unpaired Welch two-sample t-test (unequal variances, Welch–Satterthwaite df), two-sided, post vs pre ' +
      '(reference scipy.stats.ttest_ind(post, pre, equal_var=False) / R t.test(post, pre)); ' +
      'd = mean difference / sqrt((sd_pre² + sd_post²)/2)',
    ),
    warnings,
  };
}
