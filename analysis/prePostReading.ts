/**
 * A plain-language reading of a paired pre/post comparison, in Japanese and English, for evaluators who
 * do not read statistics: n, the means, the change with its 95% confidence interval, p and the effect
 * size in words, and what the change means given which end of the scale is better.
 *
 * It never claims more than a before/after comparison can show: with no control group a change in the
 * sample is not proof of the programme's effect, and an interval that includes 0 is "no clear change",
 * not "no change". Pure function: plain numbers in, text out.
 */
import { formatPValue } from './formatPValue.js';
import { roundHalfUp } from './rounding.js';

export interface PrePostReadingInput {
  /** Linked pairs (the n of every figure). */
  n: number;
  preMean: number | null;
  postMean: number | null;
  /** Mean of post − pre. */
  meanDiff: number | null;
  /** 95% confidence interval of the mean difference; null when it cannot be computed (n < 2, no spread). */
  ci: [number, number] | null;
  p: number | null;
  /** Cohen's dz = mean difference / SD of the differences. */
  dz: number | null;
  /** Which end of the score is the better state; without it the reading says "rose" or "fell" only. */
  higherIs?: 'better' | 'worse';
  /** The scale's own words for a higher score, e.g. 「点数が高いほど孤独感が強い（悪い）」. */
  direction?: { ja: string; en: string };
  /** Decimals of means and differences (default 1); more are used when rounding would hide an interval's sign. */
  decimals?: number;
}

export type PrePostVerdict = 'improved' | 'worsened' | 'rose' | 'fell' | 'unclear' | 'not-computable' | 'no-pairs';

export interface PrePostReading {
  verdict: PrePostVerdict;
  /** Fewer than SMALL_N pairs: the figures are unstable. */
  unstable: boolean;
  effect: { dz: number; ja: string; en: string } | null;
  ja: string;
  en: string;
}

/** Below this many pairs the reading warns that the figures are unstable. */
export const SMALL_N = 10;

/** Cohen's (1988) rule of thumb for d, applied to |dz|: a convention, not a property of the scale. */
export function effectSizeWords(dz: number): { ja: string; en: string } {
  const a = Math.abs(dz);
  if (a < 0.2) return { ja: 'ごく小さい', en: 'negligible' };
  if (a < 0.5) return { ja: '小さい', en: 'small' };
  if (a < 0.8) return { ja: '中程度', en: 'medium' };
  return { ja: '大きい', en: 'large' };
}

const MINUS = '\u2212';

function number(x: number, decimals: number, signed = false): string {
  const r = roundHalfUp(x, decimals);
  const body = Math.abs(r).toFixed(decimals);
  if (r < 0) return `${MINUS}${body}`;
  return signed && r > 0 ? `+${body}` : body;
}

/** The decimals at which neither end of the interval rounds to a zero it is not (at most 3). */
function decimalsFor(ci: [number, number] | null, decimals: number): number {
  let d = decimals;
  while (ci && d < 3 && ci.some((x) => x !== 0 && roundHalfUp(x, d) === 0)) d += 1;
  return d;
}

export function prePostReading(input: PrePostReadingInput): PrePostReading {
  const { n, ci, higherIs } = input;
  const unstable = n > 0 && n < SMALL_N;
  const effect = input.dz === null || !Number.isFinite(input.dz) ? null : { dz: input.dz, ...effectSizeWords(input.dz) };
  const directionJa = input.direction ? `${input.direction.ja}。` : '';
  const directionEn = input.direction ? `${input.direction.en}. ` : '';

  if (n === 0 || input.preMean === null || input.postMean === null || input.meanDiff === null) {
    return {
      verdict: 'no-pairs',
      unstable: false,
      effect: null,
      ja: '事前と事後の両方に回答し、参加者コードでつながる人（ペア）がいないため、変化を読み取れません。',
      en: 'No participant answered both waves with a linking code, so no change can be read.',
    };
  }

  const d = decimalsFor(ci, input.decimals ?? 1);
  const means = `平均 ${number(input.preMean, d)} → ${number(input.postMean, d)} 点（${n}組）。`;
  const meansEn = `Mean ${number(input.preMean, d)} → ${number(input.postMean, d)} points (${n} pairs). `;
  const stats: string[] = [];
  const statsEn: string[] = [];
  if (ci) {
    stats.push(`95%信頼区間 ${number(ci[0], d)}〜${number(ci[1], d)}`);
    statsEn.push(`95% CI ${number(ci[0], d)} to ${number(ci[1], d)}`);
  }
  if (input.p !== null && Number.isFinite(input.p)) {
    stats.push(formatPValue(input.p, 'ja'));
    statsEn.push(formatPValue(input.p, 'en'));
  }
  if (effect) {
    stats.push(`効果量 dz = ${number(effect.dz, 2)}（${effect.ja}）`);
    statsEn.push(`effect size dz = ${number(effect.dz, 2)} (${effect.en})`);
  }
  const change = `差 ${number(input.meanDiff, d, true)} 点${stats.length ? `（${stats.join('、')}）` : ''}。`;
  const changeEn = `Change ${number(input.meanDiff, d, true)}${statsEn.length ? ` (${statsEn.join(', ')})` : ''}. `;

  let verdict: PrePostVerdict;
  let finding: string;
  let findingEn: string;
  if (!ci) {
    verdict = 'not-computable';
    finding = '信頼区間を計算できないため（ペアが少ない、または全員の差が同じ）、変化の有無は判断できません。';
    findingEn = 'The confidence interval cannot be computed (too few pairs, or every change the same), so whether the score changed cannot be judged.';
  } else if (ci[0] <= 0 && ci[1] >= 0) {
    verdict = 'unclear';
    finding = '信頼区間が0をまたぐため、明確な変化は確認できません（変化がなかったことの証明でもありません）。';
    findingEn = 'The interval includes 0: no clear change was found (which does not show that nothing changed).';
  } else {
    const rose = ci[0] > 0;
    const caveat = '（ただし、対照群のない前後比較のため、参加者に見られた変化であり、プログラムの効果であることの証明ではありません）';
    const caveatEn = ' (but with no control group this is a change in the sample, not proof of the programme\'s effect)';
    if (higherIs) {
      const better = rose === (higherIs === 'better');
      verdict = better ? 'improved' : 'worsened';
      finding = `統計的に有意な${better ? '改善' : '悪化'}が見られました${caveat}。`;
      findingEn = `A statistically significant ${better ? 'improvement' : 'worsening'} was seen${caveatEn}.`;
    } else {
      verdict = rose ? 'rose' : 'fell';
      finding = `統計的に有意な${rose ? '上昇' : '低下'}が見られました${caveat}。点数の高低のどちらが良い状態かは尺度の説明を確認してください。`;
      findingEn = `The score ${rose ? 'rose' : 'fell'} significantly${caveatEn}. Check the scale's description for which direction is better.`;
    }
  }
  const small = unstable ? `ペアが${SMALL_N}組未満のため、数値は不安定です。` : '';
  const smallEn = unstable ? `With fewer than ${SMALL_N} pairs the figures are unstable.` : '';
  return {
    verdict,
    unstable,
    effect,
    ja: `${directionJa}${means}${change}${finding}${small}`,
    en: `${directionEn}${meansEn}${changeEn}${findingEn}${smallEn ? ` ${smallEn}` : ''}`,
  };
}
