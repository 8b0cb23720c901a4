import { bilingual } from './bilingual.js';
import { chiSquareUpperTail } from './tails.js';
import type { ResultMeta } from './types.js';

export interface ChiSquareOptions {
  /** Yates continuity correction; only ever applied to a 2×2 table. */
  yates?: boolean;
}

export interface ChiSquareResult extends ResultMeta {
  /** Total of the table actually tested. */
  n: number;
  chi2: number | null;
  df: number;
  p: number | null;
  /** Cramér's V = sqrt(chi2 / (n·(min(r, c) − 1))), without Yates even when the test used it. */
  cramersV: number | null;
  expected: number[][];
  /** Share of expected counts below 5 (the Cochran rule flags > 20%). */
  shareExpectedBelow5: number;
  /** Indices (into the input) of rows and columns left out because their total is zero. */
  droppedRows: number[];
  droppedCols: number[];
  yates: boolean;
}

/**
 * Pearson's chi-square test of independence; reference scipy.stats.chi2_contingency(obs, correction=False)
 * (and correction=True for Yates on 2×2, which like scipy and R caps the correction at |O − E|).
 * All-zero rows and columns are dropped first: they carry no information and would make expected counts 0.
 */
export function chiSquareTest(table: number[][], options: ChiSquareOptions = {}): ChiSquareResult {
  const warnings: string[] = [];
  const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
  const nCols = table.length > 0 ? table[0].length : 0;
  if (table.some((r) => r.length !== nCols)) throw new RangeError('chiSquareTest: ragged table');
  const colSums = Array.from({ length: nCols }, (_, j) => table.reduce((a, r) => a + r[j], 0));
  const keptRows = rowSums.map((s, i) => (s > 0 ? i : -1)).filter((i) => i >= 0);
  const keptCols = colSums.map((s, j) => (s > 0 ? j : -1)).filter((j) => j >= 0);
  const droppedRows = rowSums.map((s, i) => (s > 0 ? -1 : i)).filter((i) => i >= 0);
  const droppedCols = colSums.map((s, j) => (s > 0 ? -1 : j)).filter((j) => j >= 0);
  const obs = keptRows.map((i) => keptCols.map((j) => table[i][j]));
  const r = keptRows.length;
  const c = keptCols.length;
  const n = obs.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const df = Math.max(0, (r - 1) * (c - 1));
  const yates = Boolean(options.yates) && r === 2 && c === 2;
  if (options.yates && !yates) warnings.push(bilingual('イェーツの補正が指定されましたが、検定した表が2×2でないため適用していません。', 'Yates correction requested but the tested table is not 2×2: not applied.'));

  const expected = obs.map((row, i) => row.map((_, j) => (rowSums[keptRows[i]] * colSums[keptCols[j]]) / n));
  const cellsE = expected.flat();
  const shareExpectedBelow5 = cellsE.length ? cellsE.filter((x) => x < 5).length / cellsE.length : 0;

  const method = bilingual(
    yates ? 'ピアソンのχ²検定（独立性の検定、イェーツの連続性補正あり）。' : 'ピアソンのχ²検定（独立性の検定、連続性補正なし）。',
    'Pearson chi-square test of independence' +
    (yates ? ' with Yates continuity correction (|O−E| − 0.5, capped at |O−E|)' : ' without continuity correction') +
    '; df = (r−1)(c−1); p = upper tail of the chi-square distribution (R pchisq(χ², df, lower.tail = FALSE)); Cramér\'s V = sqrt(χ²/(n·(min(r,c)−1))) from the uncorrected χ²; ' +
    'all-zero rows and columns excluded (reference: scipy.stats.chi2_contingency(obs, correction=' + (yates ? 'True' : 'False') + '))',
  );

  if (r < 2 || c < 2) {
    warnings.push(bilingual(
      `χ²検定には空でない行と列がそれぞれ2つ以上必要です。検定した表は ${r}×${c} です。`,
      `Chi-square needs at least 2 non-empty rows and 2 non-empty columns; the tested table is ${r}×${c}.`,
    ));
    return { n, chi2: null, df, p: null, cramersV: null, expected, shareExpectedBelow5, droppedRows, droppedCols, yates, method, warnings };
  }

  let chi2 = 0;
  let chi2Uncorrected = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const diff = obs[i][j] - expected[i][j];
      chi2Uncorrected += (diff * diff) / expected[i][j];
      const adj = yates ? Math.max(0, Math.abs(diff) - Math.min(0.5, Math.abs(diff))) : Math.abs(diff);
      chi2 += (adj * adj) / expected[i][j];
    }
  }
  const p = chiSquareUpperTail(chi2, df);
  const cramersV = Math.sqrt(chi2Uncorrected / (n * (Math.min(r, c) - 1)));
  if (shareExpectedBelow5 > 0.2) {
    const share = (shareExpectedBelow5 * 100).toFixed(1);
    const twoByTwo = r === 2 && c === 2;
    warnings.push(bilingual(
      `期待度数が5未満のセルが ${share}% あります（20% を超えています）。χ²近似は信頼できません。` +
        (twoByTwo ? 'フィッシャーの正確確率検定を使ってください。' : 'p値は慎重に解釈するか、カテゴリーをまとめてください。'),
      `${share}% of expected counts are below 5 (more than 20%): the chi-square ` +
        'approximation is unreliable' + (twoByTwo ? '; use Fisher\'s exact test.' : '; interpret p with caution or merge categories.'),
    ));
  }
  if (cellsE.some((x) => x < 1)) warnings.push(bilingual('期待度数が1未満のセルがあります。', 'Some expected counts are below 1.'));
  return { n, chi2, df, p, cramersV, expected, shareExpectedBelow5, droppedRows, droppedCols, yates, method, warnings };
}
