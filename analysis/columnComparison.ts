import { adjustPValues, type PAdjustMethod } from './adjustPValues.js';
import { bilingual } from './bilingual.js';
import { twoProportionZTest } from './twoProportionZ.js';
import type { ResultMeta } from './types.js';

/**
 * Denominator of each column's proportions: 'answered' (default) counts only the rows that are compared,
 * i.e. leaves "no answer" out, as the chi-square test does; 'all' uses the column totals given by the caller.
 */
export type ColumnBase = 'answered' | 'all';

export interface ColumnComparisonOptions {
  alpha?: number;
  adjustment?: Exclude<PAdjustMethod, 'BH'>;
  base?: ColumnBase;
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
  /** Which base the denominators are: answered rows only (as the chi-square test) or every row. */
  base: ColumnBase;
  /** The base in words, for the table note. */
  baseNote: { ja: string; en: string };
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
 * With the default base 'answered', a column's base is the sum of its compared rows, so rows left out
 * ("no answer") are out of the denominator too, as in the chi-square test; base 'all' uses `colBases`.
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
  const base = options.base ?? 'answered';
  const warnings: string[] = [];
  const bases = base === 'all'
    ? colBases
    : colBases.map((_, j) => counts.reduce((s, row, i) => (compareRows[i] ? s + row[j] : s), 0));
  const cols = compareCols.map((ok, j) => (ok && bases[j] > 0 ? j : -1)).filter((j) => j >= 0);
  const letters: (string | null)[] = bases.map(() => null);
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
        const { z, p } = twoProportionZTest(counts[i][ja], bases[ja], counts[i][jb], bases[jb]);
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
  const small = cols.filter((j) => bases[j] < 30);
  if (small.length > 0) {
    const smallLetters = small.map((j) => letters[j]).join(', ');
    warnings.push(bilingual(
      `基数が30未満の列があります（${smallLetters}）。z検定の近似は粗くなります。`,
      `Column base(s) below 30 (${smallLetters}): the z approximation is rough.`,
    ));
  }
  return {
    alpha,
    adjustment,
    letters,
    cells,
    tests,
    bases,
    base,
    baseNote: base === 'all'
      ? { ja: '基数は列の全回答者数（無回答を含む）', en: 'base: all respondents in the column, "no answer" included' }
      : { ja: '基数は列の回答者数（無回答を除く、カイ二乗検定と同じ）', en: 'base: respondents who answered (no answer excluded, as in the chi-square test)' },
    method: bilingual(
      `列の割合の対比較（2つの比率のz検定、両側、各行内で${adjustment === 'none' ? '多重比較の調整なし' : adjustment === 'holm' ? 'ホルム法で調整' : 'ボンフェローニ法で調整'}、有意水準 ${alpha}）。`,
      'Two-sided two-proportion z-tests (pooled proportion, no continuity correction; as R prop.test(correct = FALSE)) ' +
      `between every pair of columns within each row, base = ${base === 'all' ? 'column total including "no answer"' : 'column total of answered rows ("no answer" excluded, as in the chi-square test)'}; p-values adjusted within each row by ` +
      `${adjustment === 'none' ? 'no adjustment' : adjustment === 'holm' ? 'Holm' : 'Bonferroni'}; ` +
      `a letter in a cell marks a column whose proportion is significantly lower at alpha = ${alpha}.`,
    ),
    warnings,
  };
}
