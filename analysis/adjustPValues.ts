import type { ResultMeta } from './types.js';

export type PAdjustMethod = 'none' | 'bonferroni' | 'holm' | 'BH';

export interface AdjustedPValues extends ResultMeta {
  /** Number of non-missing p-values, the m of the correction. */
  n: number;
  adjusted: (number | null)[];
  adjustment: PAdjustMethod;
}

const NAMES: Record<PAdjustMethod, string> = {
  none: 'no adjustment for multiple comparisons',
  bonferroni: 'Bonferroni adjustment (R p.adjust method="bonferroni")',
  holm: 'Holm step-down adjustment (R p.adjust method="holm")',
  BH: 'Benjamini–Hochberg false discovery rate adjustment (R p.adjust method="BH")',
};

/** Adjusted p-values as R's p.adjust; missing values (null/NaN) stay missing and do not count in m. */
export function adjustPValues(p: (number | null)[], method: PAdjustMethod = 'holm'): AdjustedPValues {
  const idx = p.map((v, i) => (v === null || Number.isNaN(v) ? -1 : i)).filter((i) => i >= 0);
  const m = idx.length;
  const out: (number | null)[] = p.map(() => null);
  const vals = idx.map((i) => p[i] as number);
  if (vals.some((v) => v < 0 || v > 1)) throw new RangeError('adjustPValues: p-values must lie in [0, 1]');
  if (method === 'none') idx.forEach((i, k) => { out[i] = vals[k]; });
  else if (method === 'bonferroni') idx.forEach((i, k) => { out[i] = Math.min(1, vals[k] * m); });
  else if (method === 'holm') {
    // Ascending order, multiplier m − rank, then a running maximum keeps the adjusted values monotone.
    const order = vals.map((_, k) => k).sort((x, y) => vals[x] - vals[y]);
    let running = 0;
    order.forEach((k, rank) => {
      running = Math.max(running, (m - rank) * vals[k]);
      out[idx[k]] = Math.min(1, running);
    });
  } else if (method === 'BH') {
    // Descending order, multiplier m / rank, running minimum from the largest p downwards.
    const order = vals.map((_, k) => k).sort((x, y) => vals[y] - vals[x]);
    let running = Infinity;
    order.forEach((k, pos) => {
      const rank = m - pos;
      running = Math.min(running, (m / rank) * vals[k]);
      out[idx[k]] = Math.min(1, running);
    });
  } else throw new RangeError(`adjustPValues: unknown method ${String(method)}`);
  const warnings = m < p.length ? [`${p.length - m} missing p-value(s) left out of the adjustment.`] : [];
  return { n: m, adjusted: out, adjustment: method, method: NAMES[method], warnings };
}
