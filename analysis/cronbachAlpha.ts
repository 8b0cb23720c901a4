import { sampleVariance } from 'simple-statistics';
import { bilingual } from './bilingual.js';
import type { ResultMeta } from './types.js';

export interface CronbachAlphaResult extends ResultMeta {
  /** Respondents with every item answered (listwise deletion). */
  n: number;
  excluded: number;
  k: number;
  alpha: number | null;
}

/**
 * Cronbach's alpha = k/(k−1)·(1 − Σ var(item) / var(total)), sample variances. Items must already be
 * reverse-keyed. Rows are respondents, columns items; null = item not answered.
 */
export function cronbachAlpha(itemMatrix: (number | null)[][]): CronbachAlphaResult {
  const warnings: string[] = [];
  const k = itemMatrix.length > 0 ? itemMatrix[0].length : 0;
  if (itemMatrix.some((r) => r.length !== k)) throw new RangeError('cronbachAlpha: every row needs the same number of items');
  const complete = itemMatrix.filter((r) => r.every((v) => v !== null && Number.isFinite(v))) as number[][];
  const n = complete.length;
  const excluded = itemMatrix.length - n;
  if (excluded > 0) {
    warnings.push(bilingual(
      `欠損項目のある回答者 ${excluded} 人を除きました（リストワイズ除去）。`,
      `${excluded} respondent(s) with a missing item excluded (listwise deletion).`,
    ));
  }
  const method = bilingual(
    'クロンバックのα係数（不偏分散、欠損項目のある回答者はリストワイズ除去）。',
    "Cronbach's alpha = k/(k−1)·(1 − Σ var(item)/var(total)), sample variances (n − 1), listwise deletion of " +
    'respondents with any missing item',
  );
  if (k < 2 || n < 2) {
    warnings.push(bilingual('α係数には2項目以上と、全項目に答えた回答者2人以上が必要です。', 'Alpha needs at least 2 items and 2 complete respondents.'));
    return { n, excluded, k, alpha: null, method, warnings };
  }
  const itemVar = Array.from({ length: k }, (_, j) => sampleVariance(complete.map((r) => r[j])));
  const totalVar = sampleVariance(complete.map((r) => r.reduce((s, v) => s + v, 0)));
  if (totalVar === 0) {
    warnings.push(bilingual('合計得点の分散が0のため、α係数は定義できません。', 'Total scores have zero variance: alpha undefined.'));
    return { n, excluded, k, alpha: null, method, warnings };
  }
  const alpha = (k / (k - 1)) * (1 - itemVar.reduce((s, v) => s + v, 0) / totalVar);
  return { n, excluded, k, alpha, method, warnings };
}
