import { bilingual } from './bilingual.js';
import type { CrosstabLine, CrosstabResult } from './crosstab.js';
import {
  auditIntervals, integerInterval, percentConstraints, sumConstraint,
  type AuditConstraint, type AuditEntry, type AuditInterval,
} from './suppressAudit.js';
import type { ResultMeta } from './types.js';

/** Why a count or margin is hidden: 'primary' = a small count (1…k−1); 'secondary' = hidden to protect another entry. */
export type SuppressionFlag = 'primary' | 'secondary' | null;

/** Why a percentage is null although its base is not zero: its count is hidden, or its base is. */
export type PercentWithheld = 'count' | 'base' | null;

/**
 * How hidden counts are printed. 'distinct': "<k" for a small count, "x" for a secondary one (the reader
 * learns which is which: "<k" = 1…k−1, "x" = k or more, as zeros are never hidden). 'single': one marker
 * "x" for every hidden count (the reader learns only that the count is not zero).
 */
export type MarkerStyle = 'distinct' | 'single';

export interface SuppressedCrosstab extends ResultMeta {
  k: number;
  n: number | string;
  rows: CrosstabLine[];
  cols: CrosstabLine[];
  /** The marker style actually used ('single' when distinct markers could not be protected). */
  marker: MarkerStyle;
  /** Counts with hidden entries replaced by their marker (see `marker`). */
  counts: (number | string)[][];
  rowTotals: (number | string)[];
  colTotals: (number | string)[];
  grandTotal: number | string;
  flags: SuppressionFlag[][];
  rowTotalFlags: SuppressionFlag[];
  colTotalFlags: SuppressionFlag[];
  grandTotalFlag: SuppressionFlag;
  /**
   * A percentage is published only when its count and its base are both shown: with the base a hidden
   * count's percentage gives the count back, and with the count a hidden base's percentage gives the base.
   */
  rowPercent: (number | null)[][];
  colPercent: (number | null)[][];
  totalPercent: (number | null)[][];
  rowTotalPercent: (number | null)[];
  colTotalPercent: (number | null)[];
  rowPercentWithheld: PercentWithheld[][];
  colPercentWithheld: PercentWithheld[][];
  totalPercentWithheld: PercentWithheld[][];
  rowTotalPercentWithheld: PercentWithheld[];
  colTotalPercentWithheld: PercentWithheld[];
  /** Decimals of the published percentages (needed to audit them: each stands for a range of ratios). */
  decimals: number;
  primaryCount: number;
  secondaryCount: number;
  audit: CrosstabAudit;
}

export interface CrosstabAudit {
  /** True when every hidden entry meets the criterion (always true for suppress()'s own output). */
  passed: boolean;
  criterion: string;
  /** Entries hidden after the no-single-hidden-entry rule because the LP audit still recovered something. */
  addedByAudit: number;
  /** Feasibility interval of every hidden entry; i = r is the column-totals row, j = c the row-totals column. */
  intervals: { i: number; j: number; min: number; max: number; protected: boolean }[];
}

export const SECONDARY_MARK = 'x';
/** The marker of every hidden count in the 'single' style. */
export const SUPPRESSED_MARK = 'x';

/** What a reader sees of one grid entry: its value, a small-count marker, or a hidden marker. */
type Seen = number | 'small' | 'hidden';

export const AUDIT_CRITERION =
  'LP audit over everything published (shown counts and margins, additivity of every row and column, shown ' +
  'percentages as rounding intervals, non-negativity, zeros shown as zeros so a hidden entry is at least 1; ' +
  'with distinct markers "<k" = 1…k−1 and "x" ≥ k): a "<k" entry must stay free over the whole 1…k−1 its marker ' +
  'already gives away; any other hidden entry must keep an integer interval max − min ≥ k.';

/**
 * The criterion, in the words "no hidden cell's interval is narrower than k". A hidden entry whose
 * marker says only "hidden" (≥ 1, or ≥ k) must keep ⌊max⌋ − ⌈min⌉ ≥ k. A "<k" marker by itself already says
 * 1…k−1, an interval of width k − 2, so "not narrower than k" cannot be asked of it; what can be asked is
 * that nothing else published narrows it further: the interval must still reach 1 and k − 1. Integer
 * rounding of the LP bounds: see suppressAudit.ts (exact for sums-only two-way tables).
 */
export function isProtected(seen: 'small' | 'hidden', interval: AuditInterval, k: number): boolean {
  const { min, max } = integerInterval(interval);
  return seen === 'small' ? min <= 1 && max >= k - 1 : max - min >= k;
}

/** The LP model of a published (r+1)×(c+1) grid: what each marker says, and the additivity of every line. */
function gridModel(seen: Seen[][], k: number, hiddenLower: number, extra: (at: (i: number, j: number) => number) => AuditConstraint[]) {
  const width = seen[0].length;
  const at = (i: number, j: number) => i * width + j;
  const entries: AuditEntry[] = seen.flat().map((s) =>
    s === 'small' ? { hidden: true, lower: 1, upper: k - 1 } : s === 'hidden' ? { hidden: true, lower: hiddenLower, upper: Infinity } : { shown: s },
  );
  const last = width - 1;
  const constraints = [
    ...seen.map((_, i) => sumConstraint(at(i, last), Array.from({ length: last }, (_, j) => at(i, j)))),
    ...seen[0].map((_, j) => sumConstraint(at(seen.length - 1, j), Array.from({ length: seen.length - 1 }, (_, i) => at(i, j)))),
    ...extra(at),
  ];
  return { entries, constraints };
}

/** What an "x" tells a reader who knows the method: zeros are never hidden, and with distinct markers "x" is not small. */
const hiddenAtLeast = (marker: MarkerStyle, k: number) => (marker === 'distinct' ? k : 1);

/** Intervals of the hidden entries of a published grid, each with its verdict; `firstFailure` stops early. */
function auditGrid(seen: Seen[][], k: number, hiddenLower: number, extra: Parameters<typeof gridModel>[3], firstFailure = false) {
  const width = seen[0].length;
  const model = gridModel(seen, k, hiddenLower, extra);
  const verdict = (iv: AuditInterval) => isProtected(seen[Math.floor(iv.entry / width)][iv.entry % width] as 'small' | 'hidden', iv, k);
  // Small entries first: they are the ones most likely to be recovered.
  const kind = (e: number) => seen[Math.floor(e / width)][e % width];
  const order = model.entries.map((_, e) => e).filter((e) => kind(e) === 'small').concat(model.entries.map((_, e) => e).filter((e) => kind(e) === 'hidden'));
  return auditIntervals(model, { only: order, stopAt: firstFailure ? (iv) => !verdict(iv) : undefined }).map((iv) => ({
    i: Math.floor(iv.entry / width),
    j: iv.entry % width,
    min: iv.min,
    max: iv.max,
    protected: verdict(iv),
  }));
}

/** What suppress() reads of a table: its lines, counts, margins and percentages. */
export type SuppressibleTable = Pick<CrosstabResult,
  'rows' | 'cols' | 'counts' | 'rowTotals' | 'colTotals' | 'grandTotal' | 'rowPercent' | 'colPercent' | 'totalPercent' |
  'rowTotalPercent' | 'colTotalPercent' | 'decimals'>;

/**
 * Small-cell suppression for shared outputs, audited. The table with its margins is an (r+1)×(c+1) grid in
 * which every row and column is additive. Counts 1…k−1 (cells and margins) are hidden (primary); then,
 * as long as a reader could narrow a hidden entry (see `isProtected`) from what is published, one more
 * entry is hidden (secondary): a line with a single hidden entry gives it away at once, so those are
 * closed first; after that the LP audit names a recovered entry and the smallest shown non-zero entry of
 * its row or column is hidden (inner cells before margins, the grand total last). Every round hides one
 * more entry, so the loop ends; hiding every non-zero entry passes the audit with the single marker (no
 * upper bound is then published anywhere), and if distinct markers cannot be protected even so, the
 * table is redone with the single marker. Zeros are never hidden.
 */
export function suppress(table: SuppressibleTable, k = 5, options: { marker?: MarkerStyle } = {}): SuppressedCrosstab {
  const r = table.rows.length;
  const c = table.cols.length;
  // grid[i][j]: i = r is the column-totals row, j = c the row-totals column, (r, c) the grand total.
  const grid: number[][] = [
    ...table.counts.map((row, i) => [...row, table.rowTotals[i]]),
    [...table.colTotals, table.grandTotal],
  ];
  const warnings: string[] = [];
  let marker: MarkerStyle = options.marker ?? 'distinct';
  let flags: SuppressionFlag[][] = grid.map((row) => row.map(() => null));
  let addedByAudit = 0;
  const active = k > 1;

  if (active) {
    const attempt = (style: MarkerStyle): boolean => {
      flags = grid.map((row) => row.map((v) => (v >= 1 && v < k ? 'primary' : null)));
      addedByAudit = 0;
      const seen = (): Seen[][] =>
        grid.map((row, i) => row.map((v, j) => (flags[i][j] === null ? v : flags[i][j] === 'primary' && style === 'distinct' ? 'small' : 'hidden')));
      const cost = (i: number, j: number) => (i === r && j === c ? 3e15 : i === r || j === c ? 2e15 : 0) + grid[i][j];
      const hideCheapest = (among: [number, number][]) => {
        const open = among.filter(([i, j]) => flags[i][j] === null && grid[i][j] > 0);
        if (open.length === 0) return false;
        const [bi, bj] = open.reduce((best, e) => (cost(...e) < cost(...best) ? e : best));
        flags[bi][bj] = 'secondary';
        return true;
      };
      const rowOf = (i: number) => grid[i].map((_, j) => [i, j] as [number, number]);
      const colOf = (j: number) => grid.map((_, i) => [i, j] as [number, number]);
      const lines = [...grid.map((_, i) => rowOf(i)), ...grid[0].map((_, j) => colOf(j))];
      for (;;) {
        // A line with one hidden entry gives it away by subtraction: close those without asking the solver.
        const single = lines.find((line) => line.filter(([i, j]) => flags[i][j] !== null).length === 1);
        if (single) {
          if (hideCheapest(single)) continue;
        }
        const failed = auditGrid(seen(), k, hiddenAtLeast(style, k), () => [], true).find((iv) => !iv.protected);
        if (!failed) return true;
        if (!hideCheapest([...rowOf(failed.i), ...colOf(failed.j)]) && !hideCheapest(grid.flatMap((_, i) => rowOf(i)))) return false;
        addedByAudit++;
      }
    };
    if (!attempt(marker)) {
      if (marker === 'single') throw new Error('suppress: the audit failed with every non-zero entry hidden');
      warnings.push(bilingual(
        'この表では記号の使い分け（「<k」と「x」）では保護できないため、隠した件数はすべて「x」で示しています。',
        'Distinct markers ("<k" / "x") could not be protected in this table: every hidden count is shown as "x".',
      ));
      marker = 'single';
      attempt(marker);
    }
    if (flags[r][c] !== null) warnings.push(bilingual('総計も秘匿する必要がありました。', 'The grand total itself had to be suppressed.'));
  }

  const mark = (i: number, j: number): number | string =>
    flags[i][j] === null ? grid[i][j] : flags[i][j] === 'primary' && marker === 'distinct' ? `<${k}` : marker === 'single' ? SUPPRESSED_MARK : SECONDARY_MARK;
  const withheld = (num: [number, number], base: [number, number]): PercentWithheld =>
    flags[num[0]][num[1]] !== null ? 'count' : flags[base[0]][base[1]] !== null ? 'base' : null;
  const keep = (v: number | null, why: PercentWithheld) => (why === null ? v : null);
  const rowPercentWithheld = table.counts.map((row, i) => row.map((_, j) => withheld([i, j], [i, c])));
  const colPercentWithheld = table.counts.map((row, i) => row.map((_, j) => withheld([i, j], [r, j])));
  const totalPercentWithheld = table.counts.map((row, i) => row.map((_, j) => withheld([i, j], [r, c])));
  const rowTotalPercentWithheld = table.rowTotals.map((_, i) => withheld([i, c], [r, c]));
  const colTotalPercentWithheld = table.colTotals.map((_, j) => withheld([r, j], [r, c]));
  const all = flags.flat();
  const seenFinal: Seen[][] = grid.map((row, i) => row.map((v, j) => (flags[i][j] === null ? v : flags[i][j] === 'primary' && marker === 'distinct' ? 'small' : 'hidden')));
  const intervals = active && all.some((f) => f !== null) ? auditGrid(seenFinal, k, hiddenAtLeast(marker, k), () => []) : [];

  return {
    k,
    n: mark(r, c),
    rows: table.rows,
    cols: table.cols,
    marker,
    counts: table.counts.map((row, i) => row.map((_, j) => mark(i, j))),
    rowTotals: table.rowTotals.map((_, i) => mark(i, c)),
    colTotals: table.colTotals.map((_, j) => mark(r, j)),
    grandTotal: mark(r, c),
    flags: flags.slice(0, r).map((row) => row.slice(0, c)),
    rowTotalFlags: flags.slice(0, r).map((row) => row[c]),
    colTotalFlags: flags[r].slice(0, c),
    grandTotalFlag: flags[r][c],
    rowPercent: table.rowPercent.map((row, i) => row.map((v, j) => keep(v, rowPercentWithheld[i][j]))),
    colPercent: table.colPercent.map((row, i) => row.map((v, j) => keep(v, colPercentWithheld[i][j]))),
    totalPercent: table.totalPercent.map((row, i) => row.map((v, j) => keep(v, totalPercentWithheld[i][j]))),
    rowTotalPercent: table.rowTotalPercent.map((v, i) => keep(v, rowTotalPercentWithheld[i])),
    colTotalPercent: table.colTotalPercent.map((v, j) => keep(v, colTotalPercentWithheld[j])),
    rowPercentWithheld,
    colPercentWithheld,
    totalPercentWithheld,
    rowTotalPercentWithheld,
    colTotalPercentWithheld,
    decimals: table.decimals,
    primaryCount: all.filter((f) => f === 'primary').length,
    secondaryCount: all.filter((f) => f === 'secondary').length,
    audit: { passed: intervals.every((iv) => iv.protected), criterion: AUDIT_CRITERION, addedByAudit, intervals },
    method:
      active
        ? bilingual(
          `小さいセルの秘匿（k = ${k}）: 1〜${k - 1} 件のセルと合計を` +
            (marker === 'distinct' ? `「<${k}」、それを守るために隠したほかの件数を「${SECONDARY_MARK}」で示し` : `隠し、隠した件数はすべて「${SUPPRESSED_MARK}」で示し`) +
            '、計算で復元できないよう二次秘匿と線形計画法による監査を行います。0 は隠さず、% は件数と基数がともに表示される場合だけ示します。',
          `Small-cell suppression, threshold k = ${k}: counts 1…${k - 1} (cells and margins) hidden ` +
          (marker === 'distinct' ? `as "<${k}" (primary), other hidden counts as "${SECONDARY_MARK}" (secondary)` : `(primary), every hidden count shown as "${SUPPRESSED_MARK}"`) +
          '; secondary suppression of the smallest other non-zero entry of a row or column until no line has a ' +
          'single hidden entry and a linear-programming audit (HiGHS) over everything published finds no hidden ' +
          `entry narrowed below its protection (${AUDIT_CRITERION}); zeros are not suppressed; percentages are ` +
          'published only when their count and base are both shown. Tests of association are not carried into the shared table.',
        )
        : bilingual('秘匿なし（k = 0）。', 'No suppression (k = 0).'),
    warnings,
  };
}

/**
 * Independent re-audit of a published table, reading only what is published: the printed counts and
 * margins (numbers, "<k", any other marker), the non-null percentages (each a rounding interval of a
 * ratio) and the marker style. Flags and internals of `suppress` are not used. `hiddenAtLeast` overrides
 * what a reader may assume of an "x" (default: k with distinct markers, else 1; 0 for outputs that hid zeros).
 */
export function auditSuppressedCrosstab(s: Pick<SuppressedCrosstab,
  'k' | 'marker' | 'counts' | 'rowTotals' | 'colTotals' | 'grandTotal' | 'rowPercent' | 'colPercent' | 'totalPercent' |
  'rowTotalPercent' | 'colTotalPercent' | 'decimals'>, options: { hiddenAtLeast?: number } = {}): CrosstabAudit['intervals'] {
  const read = (v: number | string): Seen => (typeof v === 'number' ? v : v === `<${s.k}` ? 'small' : 'hidden');
  const seen: Seen[][] = [
    ...s.counts.map((row, i) => [...row, s.rowTotals[i]].map(read)),
    [...s.colTotals, s.grandTotal].map(read),
  ];
  const r = s.counts.length;
  const c = s.colTotals.length;
  const percentages = (at: (i: number, j: number) => number) => {
    const out: AuditConstraint[] = [];
    const add = (p: number | null, num: number, base: number) => { if (p !== null) out.push(...percentConstraints(num, base, p, s.decimals)); };
    s.counts.forEach((row, i) => row.forEach((_, j) => {
      add(s.rowPercent[i][j], at(i, j), at(i, c));
      add(s.colPercent[i][j], at(i, j), at(r, j));
      add(s.totalPercent[i][j], at(i, j), at(r, c));
    }));
    s.rowTotalPercent.forEach((p, i) => add(p, at(i, c), at(r, c)));
    s.colTotalPercent.forEach((p, j) => add(p, at(r, j), at(r, c)));
    return out;
  };
  return auditGrid(seen, s.k, options.hiddenAtLeast ?? hiddenAtLeast(s.marker, s.k), percentages);
}
