import { adjustPValues, type PAdjustMethod } from './adjustPValues.js';
import { twoProportionZTest } from './twoProportionZ.js';
import type { ResultMeta } from './types.js';

export interface ColumnComparisonOptions {
  alpha?: number;
  adjustment?: Exclude<PAdjustMethod, 'BH'>;
}

export interface PairTest {
  row: number;
  colA: number;
  colB: number;
  z: number | null;
  p: number | null;
  pAdjusted: number | null;
}

export interface ColumnComparisonResult extends ResultMeta {
  alpha: number;
  adjustment: 'none' | 'bonferroni' | 'holm';
  /** Letter of each column (null for columns not compared, e.g. "no answer"). */
  letters: (string | null)[];
  /** Per cell, the letters of the columns whose proportion is significantly lower than this cell's. */
  cells: string[][];
  tests: PairTest[];
  /** Column bases used as denominators. */
  bases: number[];
}

/** A, B, …, Z, AA, AB, … */
export function columnLetter(index: number): string {
  let s = '';
  let i = index + 1;
  while (i > 0) {
    const rem = (i - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    i = Math.floor((i - 1) / 26);
  }
  return s;
}

/**
 * Column-proportion comparisons as in market-research tables: within each row, every pair of compared
 * columns is tested, the family for the adjustment being that row's pairs (as SPSS Custom Tables does).
 * `compareRows[i]` / `compareCols[j]` = false leaves a line out ("no answer" is not a group).
 */
export function compareColumnProportions(
  counts: number[][],
  colBases: number[],
  compareRows: boolean[],
  compareCols: boolean[],
  options: ColumnComparisonOptions = {},
): ColumnComparisonResult {
  const alpha = options.alpha ?? 0.05;
  const adjustment = options.adjustment ?? 'holm';
  const warnings: string[] = [];
  const cols = compareCols.map((ok, j) => (ok && colBases[j] > 0 ? j : -1)).filter((j) => j >= 0);
  const letters: (string | null)[] = colBases.map(() => null);
  cols.forEach((j, k) => { letters[j] = columnLetter(k); });
  const marks: number[][][] = counts.map((row) => row.map(() => []));
  const tests: PairTest[] = [];
  for (let i = 0; i < counts.length; i++) {
    if (!compareRows[i]) continue;
    const rowTests: PairTest[] = [];
    for (let a = 0; a < cols.length; a++) {
      for (let b = a + 1; b < cols.length; b++) {
        const ja = cols[a];
        const jb = cols[b];
        const { z, p } = twoProportionZTest(counts[i][ja], colBases[ja], counts[i][jb], colBases[jb]);
        rowTests.push({ row: i, colA: ja, colB: jb, z, p, pAdjusted: null });
      }
    }
    const adj = adjustPValues(rowTests.map((t) => t.p), adjustment).adjusted;
    rowTests.forEach((t, k) => {
      t.pAdjusted = adj[k];
      if (t.pAdjusted !== null && t.pAdjusted < alpha && t.z !== null) {
        const [hi, lo] = t.z > 0 ? [t.colA, t.colB] : [t.colB, t.colA];
        marks[i][hi].push(cols.indexOf(lo));
      }
    });
    tests.push(...rowTests);
  }
  // Sorting by column position keeps multi-letter labels (AA, AB…) in order.
  const cells = marks.map((row) => row.map((m) => [...m].sort((x, y) => x - y).map(columnLetter).join('')));
  const small = cols.filter((j) => colBases[j] < 30);
  if (small.length > 0) {
    warnings.push(`Column base(s) below 30 (${small.map((j) => letters[j]).join(', ')}): the z approximation is rough.`);
  }
  return {
    alpha,
    adjustment,
    letters,
    cells,
    tests,
    bases: colBases,
    method:
      'Two-sided two-proportion z-tests (pooled proportion, no continuity correction; as R prop.test(correct = FALSE)) ' +
      `between every pair of columns within each row, base = column total; p-values adjusted within each row by ` +
      `${adjustment === 'none' ? 'no adjustment' : adjustment === 'holm' ? 'Holm' : 'Bonferroni'}; ` +
      `a letter in a cell marks a column whose proportion is significantly lower at alpha = ${alpha}.`,
    warnings,
  };
}
