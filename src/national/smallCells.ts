import { suppress, type SuppressibleTable } from '../../analysis/suppress.js';

/** What of one sample line a shared output may print: its base n, and the counts of these keys. */
export type ShownCounts = { n: boolean; keys: Set<string> };

/**
 * The cross-tabs' own rule (suppress(), single "x" marker) applied to one line of the national
 * comparison: counts 1…k−1 are hidden, then further counts until none can be recovered from the base n
 * or from a published sum such as 「ある」計. The line becomes the grid suppress() audits: one row per
 * answer category, one column per published sum and one for the categories in none, so a category's
 * count is its row total, a sum its column total and n the grand total; the other cells are zeros,
 * which every reader knows and suppress() never hides.
 */
export function shownCounts(categories: string[], sums: { key: string; of: string[] }[], counts: Record<string, number>, k: number): ShownCounts {
  const rest = categories.filter((c) => !sums.some((s) => s.of.includes(c)));
  const columns = [...sums.map((s) => ({ key: s.key, of: s.of })), ...(rest.length ? [{ key: null, of: rest }] : [])];
  for (const c of categories) {
    // A category in two sums would need a second layer of the grid; the national tables publish none.
    if (columns.filter((col) => col.of.includes(c)).length !== 1) throw new Error(`shownCounts: category ${c} is in more than one published sum`);
  }
  const cells = categories.map((c) => columns.map((col) => (col.of.includes(c) ? counts[c] : 0)));
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const colTotals = columns.map((_, j) => sum(cells.map((row) => row[j])));
  const none = (length: number) => Array.from({ length }, () => null);
  const table: SuppressibleTable = {
    rows: categories.map((code) => ({ code, label: code, noAnswer: false })),
    cols: columns.map((col, j) => ({ code: col.key ?? `rest${j}`, label: col.key ?? '', noAnswer: false })),
    counts: cells,
    rowTotals: cells.map(sum),
    colTotals,
    grandTotal: sum(colTotals),
    rowPercent: cells.map((row) => none(row.length)),
    colPercent: cells.map((row) => none(row.length)),
    totalPercent: cells.map((row) => none(row.length)),
    rowTotalPercent: none(categories.length),
    colTotalPercent: none(columns.length),
    decimals: 1,
  };
  const s = suppress(table, k, { marker: 'single' });
  const keys = new Set<string>();
  categories.forEach((c, i) => { if (s.rowTotalFlags[i] === null) keys.add(c); });
  columns.forEach((col, j) => { if (col.key !== null && s.colTotalFlags[j] === null) keys.add(col.key); });
  return { n: s.grandTotalFlag === null, keys };
}
