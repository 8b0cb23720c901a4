import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, type Descriptives } from './descriptives.js';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';
import { wilcoxonMethodEnglish, wilcoxonSignedRank, type WilcoxonSignedRankResult } from './wilcoxonSignedRank.js';

export interface PairedComparisonOptions {
  /** Participants with only a pre (or only a post) score, reported as attrition. */
  preOnly?: number;
  postOnly?: number;
  confLevel?: number;
}

export interface PairedTTest {
  t: number | null;
  df: number;
  p: number | null;
  confLevel: number;
  ci: [number, number] | null;
  method: string;
}

export interface PairedComparisonResult extends ResultMeta {
  /** Number of linked pairs: the n of every statistic below. */
  n: number;
  preOnly: number;
  postOnly: number;
  pre: Descriptives;
  post: Descriptives;
  /** Mean of post − pre. */
  meanDiff: number | null;
  sdDiff: number | null;
  tTest: PairedTTest;
  /** Cohen's dz = mean(d) / sd(d). */
  dz: number | null;
  /** d_av = mean(d) / ((sd_pre + sd_post) / 2), comparable with between-group d. */
  dAv: number | null;
  wilcoxon: WilcoxonSignedRankResult;
  rankBiserial: number | null;
}

const T_METHOD =
  'Paired t-test, two-sided, on d = post − pre (reference scipy.stats.ttest_rel(post, pre) / R t.test(post, pre, paired = TRUE))';

/** Pre/post comparison of a score over linked participants. */
export function pairedComparison(
  pairs: { pre: number; post: number }[],
  options: PairedComparisonOptions = {},
): PairedComparisonResult {
  const confLevel = options.confLevel ?? 0.95;
  const warnings: string[] = [];
  for (const p of pairs) {
    if (!Number.isFinite(p.pre) || !Number.isFinite(p.post)) throw new RangeError('pairedComparison: scores must be finite numbers');
  }
  const n = pairs.length;
  const pre = describe(pairs.map((p) => p.pre));
  const post = describe(pairs.map((p) => p.post));
  const diffs = pairs.map((p) => p.post - p.pre);
  const d = describe(diffs);
  const df = n - 1;

  let t: number | null = null;
  let p: number | null = null;
  let ci: [number, number] | null = null;
  let dz: number | null = null;
  if (n < 2) warnings.push(bilingual(`ペアが ${n} 組しかないため、検定と効果量は計算しません。`, `Only ${n} pair(s): no test or effect size.`));
  else if (d.sd === 0) {
    warnings.push(bilingual(
      'すべての差が同じ値です。差の標準偏差が0のため、t と dz は定義できません。',
      'Every difference is identical: the SD of differences is 0, so t and dz are undefined.',
    ));
  } else if (d.mean !== null && d.sd !== null) {
    const se = d.sd / Math.sqrt(n);
    t = d.mean / se;
    p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
    const q = tQuantile(1 - (1 - confLevel) / 2, df);
    ci = [d.mean - q * se, d.mean + q * se];
    dz = d.mean / d.sd;
  }
  const dAv = d.mean !== null && pre.sd !== null && post.sd !== null && pre.sd + post.sd > 0
    ? d.mean / ((pre.sd + post.sd) / 2)
    : null;

  const wilcoxon = wilcoxonSignedRank(diffs);
  const preOnly = options.preOnly ?? 0;
  const postOnly = options.postOnly ?? 0;
  if (preOnly + postOnly > 0) {
    warnings.push(bilingual(
      `事前のみの参加者 ${preOnly} 人と事後のみの参加者 ${postOnly} 人は対になる回答がないため、どの統計からも除いています。`,
      `${preOnly} pre-only and ${postOnly} post-only participant(s) have no partner and are left out of every statistic.`,
    ));
  }
  if (n > 0 && n < 10) warnings.push(bilingual(`ペアの数が少ないです（n = ${n}）。`, `Small number of pairs (n = ${n}).`));
  const ciPercent = Math.round(confLevel * 100);

  return {
    n,
    preOnly,
    postOnly,
    pre,
    post,
    meanDiff: d.mean,
    sdDiff: d.sd,
    tTest: {
      t, df, p, confLevel, ci,
      method: bilingual(
        `対応のあるt検定（両側、差 = 事後 − 事前）。${ciPercent}% 信頼区間は t 分布から。`,
        `${T_METHOD}; ${ciPercent}% CI from the t distribution`,
      ),
    },
    dz,
    dAv,
    wilcoxon,
    rankBiserial: wilcoxon.rankBiserial,
    method: bilingual(
      '対応のとれた組での事前・事後比較（差 = 事後 − 事前）: 対応のあるt検定、効果量（コーエンの dz と d_av）、ウィルコクソンの符号付き順位検定と順位双列相関。',
      `Pre/post comparison over linked pairs (differences post − pre). ${T_METHOD}. ` +
        'Effect sizes: Cohen\'s dz = mean(d)/sd(d); d_av = mean(d)/mean(sd_pre, sd_post). ' +
        `${wilcoxonMethodEnglish(wilcoxon.pMethod)}; matched-pairs rank-biserial r = (W+ − W−)/(W+ + W−).`,
    ),
    warnings,
  };
}
