import type { CrosstabLine, CrosstabResult } from './crosstab.js';
import type { ResultMeta } from './types.js';

export type SuppressionFlag = 'primary' | 'secondary' | null;

export interface SuppressedCrosstab extends ResultMeta {
  k: number;
  n: number | string;
  rows: CrosstabLine[];
  cols: CrosstabLine[];
  /** Counts with primary cells shown as "<k" and secondary cells as "x" (秘匿). */
  counts: (number | string)[][];
  rowTotals: (number | string)[];
  colTotals: (number | string)[];
  grandTotal: number | string;
  flags: SuppressionFlag[][];
  rowTotalFlags: SuppressionFlag[];
  colTotalFlags: SuppressionFlag[];
  grandTotalFlag: SuppressionFlag;
  /** Percentages of suppressed cells are null: with the base they would give the count back. */
  rowPercent: (number | null)[][];
  colPercent: (number | null)[][];
  totalPercent: (number | null)[][];
  rowTotalPercent: (number | null)[];
  colTotalPercent: (number | null)[];
  primaryCount: number;
  secondaryCount: number;
}

export const SECONDARY_MARK = 'x';

/**
 * Small-cell suppression for shared outputs. The table with its margins is an (r+1)×(c+1) grid in which
 * every row and column is an additive line (cells sum to the margin); a line with exactly one hidden
 * entry gives it away by subtraction, so another entry of that line is hidden too, repeated to a fixed point.
 */
export function suppress(table: CrosstabResult, k = 5): SuppressedCrosstab {
  const r = table.rows.length;
  const c = table.cols.length;
  // grid[i][j]: i = r is the column-totals row, j = c the row-totals column, (r, c) the grand total.
  const grid: number[][] = [
    ...table.counts.map((row, i) => [...row, table.rowTotals[i]]),
    [...table.colTotals, table.grandTotal],
  ];
  const flags: SuppressionFlag[][] = grid.map((row) => row.map(() => null));
  const warnings: string[] = [];

  if (k > 1) {
    for (let i = 0; i <= r; i++) {
      for (let j = 0; j <= c; j++) if (grid[i][j] >= 1 && grid[i][j] < k) flags[i][j] = 'primary';
    }
    const lineEntries = (): [number, number][][] => [
      ...Array.from({ length: r + 1 }, (_, i) => Array.from({ length: c + 1 }, (_, j) => [i, j] as [number, number])),
      ...Array.from({ length: c + 1 }, (_, j) => Array.from({ length: r + 1 }, (_, i) => [i, j] as [number, number])),
    ];
    const lines = lineEntries();
    // Preference for the complementary cell: smallest non-zero inner cell (least information lost), then an
    // inner zero, then a margin; the grand total last of all.
    const cost = ([i, j]: [number, number]) => {
      const margin = i === r || j === c;
      const grand = i === r && j === c;
      const v = grid[i][j];
      return (grand ? 3e15 : margin ? 2e15 : v === 0 ? 1e15 : 0) + v;
    };
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of lines) {
        const hidden = line.filter(([i, j]) => flags[i][j] !== null);
        if (hidden.length !== 1) continue;
        const candidates = line.filter(([i, j]) => flags[i][j] === null);
        if (candidates.length === 0) continue;
        const [bi, bj] = candidates.reduce((best, e) => (cost(e) < cost(best) ? e : best));
        flags[bi][bj] = 'secondary';
        changed = true;
      }
    }
    if (flags[r][c] !== null) warnings.push('The grand total itself had to be suppressed.');
  }

  const show = (i: number, j: number): number | string =>
    flags[i][j] === 'primary' ? `<${k}` : flags[i][j] === 'secondary' ? SECONDARY_MARK : grid[i][j];
  const mask = (v: number | null, i: number, j: number) => (flags[i][j] === null ? v : null);
  const all = flags.flat();
  const primaryCount = all.filter((f) => f === 'primary').length;
  const secondaryCount = all.filter((f) => f === 'secondary').length;

  return {
    k,
    n: show(r, c),
    rows: table.rows,
    cols: table.cols,
    counts: table.counts.map((row, i) => row.map((_, j) => show(i, j))),
    rowTotals: table.rowTotals.map((_, i) => show(i, c)),
    colTotals: table.colTotals.map((_, j) => show(r, j)),
    grandTotal: show(r, c),
    flags: flags.slice(0, r).map((row) => row.slice(0, c)),
    rowTotalFlags: flags.slice(0, r).map((row) => row[c]),
    colTotalFlags: flags[r].slice(0, c),
    grandTotalFlag: flags[r][c],
    rowPercent: table.rowPercent.map((row, i) => row.map((v, j) => mask(v, i, j))),
    colPercent: table.colPercent.map((row, i) => row.map((v, j) => mask(v, i, j))),
    totalPercent: table.totalPercent.map((row, i) => row.map((v, j) => mask(v, i, j))),
    rowTotalPercent: table.rowTotalPercent.map((v, i) => mask(v, i, c)),
    colTotalPercent: table.colTotalPercent.map((v, j) => mask(v, r, j)),
    primaryCount,
    secondaryCount,
    method:
      k > 1
        ? `Small-cell suppression, threshold k = ${k}: counts 1…${k - 1} (cells and margins) shown as "<${k}" ` +
          `(primary); secondary suppression ("${SECONDARY_MARK}") of the smallest other entry of any row or column ` +
          'that would otherwise have a single hidden entry, repeated until none is left; zeros are not suppressed; ' +
          'percentages of hidden entries withheld. Tests of association are not carried into the shared table.'
        : 'No suppression (k = 0).',
    warnings,
  };
}
