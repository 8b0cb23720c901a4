import { bilingual } from './bilingual.js';
import { chiSquareTest, type ChiSquareResult } from './chiSquare.js';
import { compareColumnProportions, type ColumnComparisonOptions, type ColumnComparisonResult } from './columnComparison.js';
import { fisherExact2x2, type FisherExactResult } from './fisherExact.js';
import { percent, ROUNDING_RULE } from './rounding.js';
import type { Category, ResultMeta } from './types.js';

/** Whether the "no answer" line is shown: 'auto' only when it has counts. */
export type NoAnswerMode = 'auto' | 'always' | 'never';

export interface CrosstabCell {
  /** Category code; null = no answer. */
  row: string | null;
  col: string | null;
  count: number;
}

export interface CrosstabInput {
  rowCategories: Category[];
  colCategories: Category[];
  cells: CrosstabCell[];
  noAnswer?: NoAnswerMode;
  noAnswerLabel?: string;
  decimals?: number;
  /** Yates correction of the chi-square, applied only when the tested table is 2×2. */
  yates?: boolean;
  /** Column-proportion letters; omitted = not computed. */
  columnComparison?: ColumnComparisonOptions;
}

export interface CrosstabLine {
  /** null for the "no answer" line. */
  code: string | null;
  label: string;
  noAnswer: boolean;
}

export interface Association {
  chiSquare: ChiSquareResult;
  /** Fisher's exact test when the tested table is 2×2. */
  fisher: FisherExactResult | null;
  /** Labels of lines not entering the test and why. */
  excludedRows: string[];
  excludedCols: string[];
}

export interface CrosstabResult extends ResultMeta {
  /** Base n: every counted response, no-answer lines included. */
  n: number;
  rows: CrosstabLine[];
  cols: CrosstabLine[];
  counts: number[][];
  rowTotals: number[];
  colTotals: number[];
  grandTotal: number;
  /** Percentages, rounded half up; rounded percentages need not add to exactly 100. */
  rowPercent: (number | null)[][];
  colPercent: (number | null)[][];
  totalPercent: (number | null)[][];
  /** Row totals as % of the grand total (the "total" column of a column-% table). */
  rowTotalPercent: (number | null)[];
  colTotalPercent: (number | null)[];
  decimals: number;
  rounding: string;
  association: Association;
  columnComparison: ColumnComparisonResult | null;
}

const DEFAULT_NO_ANSWER = '無回答';

function lines(categories: Category[], naCount: number, mode: NoAnswerMode, label: string, unknown: string[]): CrosstabLine[] {
  const out: CrosstabLine[] = categories.map((c) => ({ code: c.code, label: c.label, noAnswer: false }));
  // Codes in the data but not in the questionnaire (e.g. an option removed later) are shown, not dropped.
  for (const code of unknown) out.push({ code, label: code, noAnswer: false });
  if (mode === 'always' || (mode === 'auto' && naCount > 0)) out.push({ code: null, label, noAnswer: true });
  return out;
}

/**
 * A two-way table of counts over the questionnaire's categories, with totals computed from the same
 * cell matrix (so they add up by construction), percentages and a test of association.
 */
export function crosstab(input: CrosstabInput): CrosstabResult {
  const decimals = input.decimals ?? 2;
  const mode = input.noAnswer ?? 'auto';
  const naLabel = input.noAnswerLabel ?? DEFAULT_NO_ANSWER;
  const warnings: string[] = [];

  const rowCodes = new Set(input.rowCategories.map((c) => c.code));
  const colCodes = new Set(input.colCategories.map((c) => c.code));
  const unknownRows: string[] = [];
  const unknownCols: string[] = [];
  let rowNa = 0;
  let colNa = 0;
  for (const cell of input.cells) {
    if (!Number.isInteger(cell.count) || cell.count < 0) throw new RangeError(`crosstab: bad count ${cell.count}`);
    if (cell.row === null) rowNa += cell.count;
    else if (!rowCodes.has(cell.row) && !unknownRows.includes(cell.row)) unknownRows.push(cell.row);
    if (cell.col === null) colNa += cell.count;
    else if (!colCodes.has(cell.col) && !unknownCols.includes(cell.col)) unknownCols.push(cell.col);
  }
  if (unknownRows.length) {
    warnings.push(bilingual(
      `質問票にない行のコードがあります: ${unknownRows.join(', ')}（それぞれ1行として表示）。`,
      `Row code(s) not in the questionnaire: ${unknownRows.join(', ')} (shown as their own rows).`,
    ));
  }
  if (unknownCols.length) {
    warnings.push(bilingual(
      `質問票にない列のコードがあります: ${unknownCols.join(', ')}（それぞれ1列として表示）。`,
      `Column code(s) not in the questionnaire: ${unknownCols.join(', ')} (shown as their own columns).`,
    ));
  }

  const rows = lines(input.rowCategories, rowNa, mode, naLabel, unknownRows);
  const cols = lines(input.colCategories, colNa, mode, naLabel, unknownCols);
  const rowIndex = new Map(rows.map((l, i) => [l.code, i]));
  const colIndex = new Map(cols.map((l, j) => [l.code, j]));

  const counts = rows.map(() => cols.map(() => 0));
  let hiddenNa = 0;
  for (const cell of input.cells) {
    const i = rowIndex.get(cell.row);
    const j = colIndex.get(cell.col);
    if (i === undefined || j === undefined) { hiddenNa += cell.count; continue; }
    counts[i][j] += cell.count;
  }
  if (hiddenNa > 0) {
    warnings.push(bilingual(
      `無回答 ${hiddenNa} 件は表示せず（noAnswer: 'never'）、基数 n にも含めていません。`,
      `${hiddenNa} response(s) with no answer are not shown (noAnswer: 'never') and not in the base n.`,
    ));
  }

  const rowTotals = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = cols.map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  const grandTotal = rowTotals.reduce((a, b) => a + b, 0);

  const rowPercent = counts.map((r, i) => r.map((x) => percent(x, rowTotals[i], decimals)));
  const colPercent = counts.map((r) => r.map((x, j) => percent(x, colTotals[j], decimals)));
  const totalPercent = counts.map((r) => r.map((x) => percent(x, grandTotal, decimals)));
  const rowTotalPercent = rowTotals.map((x) => percent(x, grandTotal, decimals));
  const colTotalPercent = colTotals.map((x) => percent(x, grandTotal, decimals));

  // The test uses answered categories only; "no answer" is not a level of either variable.
  const testRows = rows.map((l, i) => i).filter((i) => !rows[i].noAnswer);
  const testCols = cols.map((l, j) => j).filter((j) => !cols[j].noAnswer);
  const sub = testRows.map((i) => testCols.map((j) => counts[i][j]));
  const chiSquare = chiSquareTest(sub, { yates: input.yates });
  const excludedRows = [
    ...rows.filter((l) => l.noAnswer).map((l) => l.label),
    ...chiSquare.droppedRows.map((k) => rows[testRows[k]].label),
  ];
  const excludedCols = [
    ...cols.filter((l) => l.noAnswer).map((l) => l.label),
    ...chiSquare.droppedCols.map((k) => cols[testCols[k]].label),
  ];
  const keptRows = testRows.filter((_, k) => !chiSquare.droppedRows.includes(k));
  const keptCols = testCols.filter((_, k) => !chiSquare.droppedCols.includes(k));
  const fisher =
    keptRows.length === 2 && keptCols.length === 2
      ? fisherExact2x2(keptRows.map((i) => keptCols.map((j) => counts[i][j])))
      : null;
  chiSquare.method += '; lines excluded from the test: "no answer" and rows/columns whose total is zero';

  const columnComparison = input.columnComparison
    ? compareColumnProportions(
        counts,
        colTotals,
        rows.map((l) => !l.noAnswer),
        cols.map((l) => !l.noAnswer),
        input.columnComparison,
      )
    : null;

  if (grandTotal === 0) warnings.push(bilingual('表が空です（n = 0）。', 'The table is empty (n = 0).'));

  return {
    n: grandTotal,
    rows,
    cols,
    counts,
    rowTotals,
    colTotals,
    grandTotal,
    rowPercent,
    colPercent,
    totalPercent,
    rowTotalPercent,
    colTotalPercent,
    decimals,
    rounding: `${ROUNDING_RULE}, ${decimals} decimals, each percentage rounded on its own`,
    association: { chiSquare, fisher, excludedRows, excludedCols },
    columnComparison,
    method: bilingual(
      `クロス集計（質問票のカテゴリーごとの件数と、行%・列%・全体%。無回答は${mode === 'auto' ? '件数があれば独立した行・列として表示' : mode === 'always' ? '常に独立した行・列として表示' : '指定により表示しない'}）。`,
      'Cross-tabulation of counts over the questionnaire categories (zero lines kept); totals are sums of the ' +
      'shown cells; row %, column % and total % use the row, column and grand totals as bases; "no answer" ' +
      `is its own line (${mode === 'auto' ? 'shown when it has counts' : mode === 'always' ? 'always shown' : 'hidden on request'}).`,
    ),
    warnings,
  };
}
