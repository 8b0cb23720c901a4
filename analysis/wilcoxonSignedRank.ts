import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf';
import { normalTwoSidedP } from './tails.js';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

/**
 * How the p-value was obtained, as a stable code:
 * - 'exact': the exact signed-rank distribution;
 * - 'normal-cc' / 'normal': normal approximation with / without continuity correction;
 * - 'normal-cc-ties' / 'normal-ties': the same with the tie-corrected variance;
 * - 'none': no p-value (all differences zero).
 */
export type WilcoxonPMethodCode = 'exact' | 'normal-cc' | 'normal-cc-ties' | 'normal' | 'normal-ties' | 'none';

export interface WilcoxonPMethod {
  code: WilcoxonPMethodCode;
  /** Description for Japanese reports, including why the normal approximation was used. */
  ja: string;
  en: string;
}

export interface WilcoxonSignedRankOptions {
  /** Continuity correction of the normal approximation (R wilcox.test's `correct`); default true. */
  correct?: boolean;
}

export interface WilcoxonSignedRankResult extends ResultMeta {
  /** Non-zero differences, the n of the test. */
  n: number;
  /** Zero differences left out before ranking (R's default). */
  zerosDropped: number;
  /** V = sum of ranks of positive differences (post − pre > 0), R's statistic. */
  v: number | null;
  /** Sum of ranks of negative differences. */
  vNegative: number | null;
  ties: boolean;
  /** True when p comes from the exact distribution (pMethod.code === 'exact'). */
  exact: boolean;
  /** Whether the normal approximation used the continuity correction (false when exact). */
  continuityCorrection: boolean;
  /** z of the normal approximation (continuity-corrected unless `correct: false`); null when the exact distribution was used. */
  z: number | null;
  p: number | null;
  /** How p was obtained: exact or normal approximation, with which corrections. */
  pMethod: WilcoxonPMethod;
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

/** The English method text of a result (WILCOXON_METHOD adapted to `correct`, then how this p was obtained). */
export function wilcoxonMethodEnglish(pMethod: WilcoxonPMethod, correct = true): string {
  return (correct
    ? WILCOXON_METHOD
    : WILCOXON_METHOD.replace('with its defaults', 'with correct = FALSE').replace(' and continuity correction 0.5', ', no continuity correction')) +
    `; this result: ${pMethod.en}`;
}

function describePMethod(
  code: WilcoxonPMethodCode,
  reasons: { largeN: boolean; ties: boolean; zerosDropped: number },
): WilcoxonPMethod {
  if (code === 'none') return { code, ja: '検定不能（差がすべて0）', en: 'no test (all differences are zero)' };
  if (code === 'exact') {
    return { code, ja: '正確なp値（符号付き順位統計量の分布）', en: 'exact p-value (signed-rank distribution)' };
  }
  const cc = code.startsWith('normal-cc');
  const tieCorr = code.endsWith('-ties');
  const ja = [cc ? '連続性補正あり' : '連続性補正なし', ...(tieCorr ? ['同順位補正あり'] : [])];
  const en = [cc ? 'with continuity correction' : 'without continuity correction', ...(tieCorr ? ['tie-corrected variance'] : [])];
  const whyJa: string[] = [];
  const whyEn: string[] = [];
  if (reasons.largeN) { whyJa.push('0でない差が50組以上'); whyEn.push('50 or more non-zero differences'); }
  if (reasons.ties) { whyJa.push('同順位あり'); whyEn.push('ties'); }
  if (reasons.zerosDropped > 0) {
    whyJa.push(`差が0の組を${reasons.zerosDropped}組除外`);
    whyEn.push(`${reasons.zerosDropped} zero difference(s) dropped`);
  }
  return {
    code,
    ja: `正規近似（${ja.join('、')}。理由: ${whyJa.join('、')}）`,
    en: `normal approximation (${en.join(', ')}; because of ${whyEn.join(', ')})`,
  };
}

/**
 * R's conventions were chosen over scipy's default because R gives the exact p for the small samples
 * typical of a programme evaluation and keeps the continuity correction otherwise.
 */
export function wilcoxonSignedRank(differences: number[], options: WilcoxonSignedRankOptions = {}): WilcoxonSignedRankResult {
  const correct = options.correct ?? true;
  const warnings: string[] = [];
  const nonZero = differences.filter((d) => d !== 0);
  const zerosDropped = differences.length - nonZero.length;
  const n = nonZero.length;
  const method = (pMethod: WilcoxonPMethod) =>
    bilingual(`ウィルコクソンの符号付き順位検定（両側）: ${pMethod.ja}`, wilcoxonMethodEnglish(pMethod, correct));
  if (zerosDropped > 0) warnings.push(bilingual(`差が0の組を ${zerosDropped} 組除きました。`, `${zerosDropped} zero difference(s) dropped.`));
  if (n === 0) {
    warnings.push(bilingual('差がすべて0のため、検定できません。', 'All differences are zero: the test is undefined.'));
    const pMethod = describePMethod('none', { largeN: false, ties: false, zerosDropped });
    return {
      n, zerosDropped, v: null, vNegative: null, ties: false, exact: false, continuityCorrection: false, z: null, p: null,
      pMethod, rankBiserial: null, method: method(pMethod), warnings,
    };
  }
  const { ranks, tieSizes } = averageRanks(nonZero.map(Math.abs));
  const v = nonZero.reduce((s, d, i) => (d > 0 ? s + ranks[i] : s), 0);
  const total = (n * (n + 1)) / 2;
  const vNegative = total - v;
  const ties = tieSizes.some((t) => t > 1);
  const exact = n < 50 && !ties && zerosDropped === 0;
  let z: number | null = null;
  let p: number | null;
  let code: WilcoxonPMethodCode;
  if (exact) {
    code = 'exact';
    // The distribution is symmetric about total/2: P(V ≥ v) = P(V ≤ total − v), a lower tail that keeps
    // its digits where 1 − P(V ≤ v − 1) would round to 0.
    const oneSided = v > total / 2 ? signrankCdf(total - v, n) : signrankCdf(v, n);
    p = Math.min(1, 2 * oneSided);
  } else {
    code = correct ? (ties ? 'normal-cc-ties' : 'normal-cc') : ties ? 'normal-ties' : 'normal';
    const centred = v - total / 2;
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSizes.reduce((s, t) => s + (t ** 3 - t), 0) / 48);
    if (sigma > 0) {
      z = (centred - (correct ? Math.sign(centred) * 0.5 : 0)) / sigma;
      p = normalTwoSidedP(z);
    } else {
      p = null;
      warnings.push(bilingual('統計量の分散が0のため、p値は定義できません。', 'Zero variance of the statistic: p undefined.'));
    }
    warnings.push(bilingual(
      `正規近似を使いました（${n >= 50 ? 'n ≥ 50' : [ties ? '同順位あり' : '', zerosDropped ? '差が0の組あり' : ''].filter(Boolean).join('、')}）。`,
      `Normal approximation used (${n >= 50 ? 'n ≥ 50' : [ties ? 'ties' : '', zerosDropped ? 'zeros' : ''].filter(Boolean).join(' and ')}).`,
    ));
  }
  const pMethod = describePMethod(code, { largeN: n >= 50, ties, zerosDropped });
  return {
    n, zerosDropped, v, vNegative, ties, exact, continuityCorrection: !exact && correct, z, p, pMethod,
    rankBiserial: (v - vNegative) / total, method: method(pMethod), warnings,
  };
}
