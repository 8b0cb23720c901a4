import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { chiSquareUpperTail } from './tails.js';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

export interface McNemarCounts {
  bothTrue: number;
  /** pre true, post false */
  trueToFalse: number;
  /** pre false, post true */
  falseToTrue: number;
  bothFalse: number;
}

export interface McNemarResult extends ResultMeta {
  /** Number of linked pairs. */
  n: number;
  counts: McNemarCounts;
  /** Discordant pairs b + c, the effective n of the test. */
  discordant: number;
  proportionPre: number | null;
  proportionPost: number | null;
  /** proportionPost − proportionPre = (c − b)/n. */
  difference: number | null;
  confLevel: number;
  ci: [number, number] | null;
  ciMethod: string;
  exact: { p: number | null; method: string };
  chiSquare: { statistic: number | null; df: 1; p: number | null; continuityCorrection: boolean; method: string };
}

/** McNemar's test for a yes/no outcome (e.g. lonely by a cut-off) measured on the same people twice. */
export function mcnemar(pairs: { pre: boolean; post: boolean }[], options: { confLevel?: number } = {}): McNemarResult {
  const counts: McNemarCounts = { bothTrue: 0, trueToFalse: 0, falseToTrue: 0, bothFalse: 0 };
  for (const { pre, post } of pairs) {
    if (pre && post) counts.bothTrue++;
    else if (pre) counts.trueToFalse++;
    else if (post) counts.falseToTrue++;
    else counts.bothFalse++;
  }
  return mcnemarFromCounts(counts, options);
}

export function mcnemarFromCounts(counts: McNemarCounts, options: { confLevel?: number } = {}): McNemarResult {
  const confLevel = options.confLevel ?? 0.95;
  const warnings: string[] = [];
  const { bothTrue: a, trueToFalse: b, falseToTrue: c, bothFalse: d } = counts;
  const n = a + b + c + d;
  const discordant = b + c;

  // Exact: under H0 each discordant pair is b or c with probability 1/2 (R binom.test(b, b + c)).
  const exactP = discordant > 0 ? Math.min(1, 2 * binomialCdf(Math.min(b, c), discordant, 0.5)) : null;
  // R mcnemar.test applies the correction only when b ≠ c (with b = c the statistic is 0).
  const corrected = b !== c;
  const statistic = discordant > 0 ? (Math.abs(b - c) - (corrected ? 1 : 0)) ** 2 / discordant : null;
  const chiP = statistic !== null ? chiSquareUpperTail(statistic, 1) : null;
  if (discordant === 0) warnings.push(bilingual('不一致の組（事前と事後で変わった組）がないため、マクネマー検定は定義できません。', 'No discordant pairs: McNemar tests are undefined.'));
  else if (discordant < 25) {
    warnings.push(bilingual(
      `不一致の組が ${discordant} 組しかありません。正確な二項検定の p値を使ってください。`,
      `Only ${discordant} discordant pairs: prefer the exact binomial p.`,
    ));
  }

  let ci: [number, number] | null = null;
  let difference: number | null = null;
  if (n > 0) {
    difference = (c - b) / n;
    const se = Math.sqrt(discordant - (b - c) ** 2 / n) / n;
    const q = normalQuantile(1 - (1 - confLevel) / 2, 0, 1);
    ci = [difference - q * se, difference + q * se];
    if (discordant < 10) warnings.push(bilingual('不一致の組が少ないため、ワルドの信頼区間は狭すぎます。', 'Few discordant pairs: the Wald interval is too narrow.'));
  } else warnings.push(bilingual('ペアがありません。', 'No pairs.'));

  const exactJa = '正確なマクネマー検定（両側の二項検定）';
  const chiJa = `マクネマーのχ²検定（自由度1、${corrected ? '連続性補正あり' : '補正なし（b = c）'}）`;
  const ciJa = '対応のある割合の差のワルド信頼区間';
  const exactMethod = 'Exact McNemar: two-sided binomial test of b against Binomial(b + c, 0.5) (R binom.test(b, b + c, 0.5))';
  const chiMethod =
    'McNemar chi-square, df = 1, ' +
    (corrected ? 'with continuity correction (|b − c| − 1)²/(b + c)' : 'uncorrected (b = c)') +
    ' (R mcnemar.test(x, correct = TRUE))';
  const ciMethod = 'Wald interval for the paired difference in proportions: (c − b)/n ± z·sqrt((b + c) − (b − c)²/n)/n';
  return {
    n,
    counts,
    discordant,
    proportionPre: n > 0 ? (a + b) / n : null,
    proportionPost: n > 0 ? (a + c) / n : null,
    difference,
    confLevel,
    ci,
    ciMethod: bilingual(ciJa, ciMethod),
    exact: { p: exactP, method: bilingual(exactJa, exactMethod) },
    chiSquare: { statistic, df: 1, p: chiP, continuityCorrection: corrected, method: bilingual(chiJa, chiMethod) },
    method: bilingual(`${exactJa}、${chiJa}、${ciJa}`, `${exactMethod}; ${chiMethod}; ${ciMethod}.`),
    warnings,
  };
}
