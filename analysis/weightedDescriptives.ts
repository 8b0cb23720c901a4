export interface ValueCount {
  value: number;
  count: number;
}

export interface DistributionSummary {
  n: number;
  mean: number | null;
  /** Sample SD (n − 1 denominator), as R's sd(). */
  sd: number | null;
  /** R's median(): the middle value, or the mean of the two middle values. */
  median: number | null;
  min: number | null;
  max: number | null;
}

/**
 * n, mean, SD, median, min and max of values given with their counts, as R computes them on the
 * expanded vector (rep(value, count)); counts come from a GROUP BY, so a million answers stay a few rows.
 */
export function distributionSummary(values: readonly ValueCount[]): DistributionSummary {
  const sorted = values.filter((v) => v.count > 0 && Number.isFinite(v.value)).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, v) => s + v.count, 0);
  if (n === 0) return { n: 0, mean: null, sd: null, median: null, min: null, max: null };
  const mean = sorted.reduce((s, v) => s + v.value * v.count, 0) / n;
  // Two passes (sum of squared deviations from the mean) keep the SD accurate for large n.
  const ss = sorted.reduce((s, v) => s + v.count * (v.value - mean) ** 2, 0);
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
    median: n % 2 === 1 ? valueAt(sorted, (n - 1) / 2) : (valueAt(sorted, n / 2 - 1) + valueAt(sorted, n / 2)) / 2,
    min: sorted[0].value,
    max: sorted[sorted.length - 1].value,
  };
}

/** The value at 0-based position `index` of the expanded, sorted vector. */
function valueAt(sorted: readonly ValueCount[], index: number): number {
  let seen = 0;
  for (const v of sorted) {
    seen += v.count;
    if (index < seen) return v.value;
  }
  throw new RangeError(`index ${index} is beyond n = ${seen}`);
}
