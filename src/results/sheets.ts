import type { CrosstabResult, ResponseRateResult, SuppressedCrosstab } from '../../analysis/index.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import type { CrosstabOutcome } from './crosstabQuery.js';

/** A rounded percentage: CSV prints the number, a spreadsheet a % cell with the same decimals. */
export type Percent = { percent: number; decimals: number; suffix?: string };
export type Cell = string | number | null | Percent;

/** A table ready for CSV or a spreadsheet sheet: the same content in both downloads. */
export type Sheet = { name: string; title: string; header: Cell[]; rows: Cell[][]; notes: string[] };

/** A percentage cell, or empty where there is none; `suffix` carries column letters beside it. */
export function pct(value: number | null | undefined, decimals: number, suffix?: string): Cell {
  if (value === null || value === undefined) return null;
  return suffix ? { percent: value, decimals, suffix } : { percent: value, decimals };
}

export const isPercent = (cell: Cell): cell is Percent => typeof cell === 'object' && cell !== null;

/** The cell as CSV text shows it: a percentage with its decimals (and letters), never a rounding artefact. */
export function plainCell(cell: Cell): string | number | null {
  if (!isPercent(cell)) return cell;
  return cell.suffix ? `${cell.percent.toFixed(cell.decimals)} ${cell.suffix}` : cell.percent.toFixed(cell.decimals);
}

/** Counts, then row % and column %, each with totals; notes carry n, base, method, test and warnings. */
export function crosstabSheet(outcome: CrosstabOutcome, rowTitle: string, colTitle: string): Sheet {
  if (outcome.kind === 'multiple') {
    const t = outcome.table;
    const s = outcome.suppressed;
    const cols = t.cols.map((c) => c.label);
    // Overall totals and percentages are shown only when nothing is hidden: they would give hidden cells back.
    const whole = (value: Cell) => (s && s.warnings.length > 0 ? null : value);
    const rows: Cell[][] = [];
    rows.push(['回答者数 (base: respondents)', ...(s ? s.bases : t.bases), whole(t.n)]);
    t.rows.forEach((r, i) => rows.push([r.label, ...(s ? s.counts[i] : r.counts), s ? s.totals[i] : r.total]));
    rows.push([]);
    rows.push(['回答者に対する% (% of respondents)', ...cols, '全体']);
    t.rows.forEach((r, i) => rows.push([r.label, ...(s ? s.percentOfRespondents[i] : r.percentOfRespondents), whole(r.totalPercentOfRespondents)]));
    rows.push([]);
    rows.push(['回答数に対する% (% of answers)', ...cols, '全体']);
    t.rows.forEach((r, i) => rows.push([r.label, ...(s ? s.percentOfAnswers[i] : r.percentOfAnswers), whole(r.totalPercentOfAnswers)]));
    rows.push(['回答数 (answers)', ...(s ? s.answers : t.answers), whole(t.totalAnswers)]);
    return {
      name: 'クロス集計',
      title: `${rowTitle} × ${colTitle}（複数回答）`,
      header: [`${rowTitle} \\ ${colTitle}`, ...cols, '全体'],
      rows,
      notes: [
        ...(whole(t.n) === null ? [] : [`n = ${t.n} respondents who answered the question (the base of % of respondents).`]),
        `Rounding: ${t.rounding}.`,
        ...(s ? [`Small cells: ${s.method}`, ...s.warnings] : []),
        t.method,
        ...t.warnings,
      ],
    };
  }
  const t = outcome.table;
  const shown = outcome.suppressed;
  const cols = t.cols.map((c) => c.label);
  if (shown) return suppressedCrosstabSheet(outcome.table, shown, rowTitle, colTitle);
  const letters = t.columnComparison?.cells;
  const rows: Cell[][] = t.rows.map((r, i) => [r.label, ...t.counts[i], t.rowTotals[i]]);
  rows.push(['合計', ...t.colTotals, t.grandTotal]);
  rows.push([]);
  rows.push(['行% (row %)', ...cols, '合計']);
  const d = t.decimals;
  t.rows.forEach((r, i) => rows.push([r.label, ...t.rowPercent[i].map((p) => pct(p, d)), pct(t.rowTotals[i] > 0 ? 100 : null, d)]));
  rows.push([]);
  rows.push(['列% (column %)', ...cols, '全体']);
  t.rows.forEach((r, i) =>
    rows.push([r.label, ...t.colPercent[i].map((p, j) => pct(p, d, letters?.[i]?.[j] || undefined)), pct(t.rowTotalPercent[i], d)]),
  );
  const chi = t.association.chiSquare;
  const notes = [
    `n = ${t.n} (base: responses counted in the table${t.rows.some((r) => r.noAnswer) || t.cols.some((c) => c.noAnswer) ? ', no-answer lines included' : ''}).`,
    `Rounding: ${t.rounding}.`,
    `Chi-square = ${fmt(chi.chi2)}, df = ${chi.df}, p = ${fmt(chi.p)}, Cramér's V = ${fmt(chi.cramersV)} (${chi.method}).`,
  ];
  if (t.association.fisher) notes.push(`Fisher's exact test: p = ${fmt(t.association.fisher.p)} (${t.association.fisher.method}).`);
  if (t.columnComparison) {
    notes.push(`Column letters: ${t.columnComparison.letters.filter(Boolean).join(', ')} — a letter marks a column whose proportion is significantly lower (${t.columnComparison.method}).`);
  }
  notes.push(t.method, ...chi.warnings, ...t.warnings);
  return { name: 'クロス集計', title: `${rowTitle} × ${colTitle}`, header: [`${rowTitle} \\ ${colTitle}`, ...cols, '合計'], rows, notes };
}

/**
 * The shared version of a table: suppressed counts, percentages and margins only. Exact tests, column
 * letters and the overall n are left out, since with the margins they could give hidden cells back.
 */
function suppressedCrosstabSheet(t: CrosstabResult, shown: SuppressedCrosstab, rowTitle: string, colTitle: string): Sheet {
  const cols = t.cols.map((c) => c.label);
  const rows: Cell[][] = t.rows.map((r, i) => [r.label, ...shown.counts[i], shown.rowTotals[i]]);
  rows.push(['合計', ...shown.colTotals, shown.grandTotal]);
  rows.push([]);
  rows.push(['行% (row %)', ...cols]);
  const d = t.decimals;
  const cell = (p: number | string | null) => (typeof p === 'number' ? pct(p, d) : p);
  t.rows.forEach((r, i) => rows.push([r.label, ...shown.rowPercent[i].map(cell)]));
  rows.push([]);
  rows.push(['列% (column %)', ...cols, '全体']);
  t.rows.forEach((r, i) => rows.push([r.label, ...shown.colPercent[i].map(cell), cell(shown.rowTotalPercent[i])]));
  return {
    name: 'クロス集計',
    title: `${rowTitle} × ${colTitle}`,
    header: [`${rowTitle} \\ ${colTitle}`, ...cols, '合計'],
    rows,
    notes: [
      `n = ${shown.n}.`,
      `Rounding: ${t.rounding}.`,
      `Small cells: counts below ${shown.k} shown as "<${shown.k}", secondary suppression as "x" (${shown.method}).`,
      ...shown.warnings,
    ],
  };
}

/** Dispositions per stratum beside every AAPOR rate, so a refusal recorded anywhere is seen. */
export function ratesSheet(result: ResponseRateResult): Sheet {
  const by = result.by;
  const d = result.decimals;
  const line = (g: ResponseRateResult['overall'], label: Cell[]): Cell[] => [
    ...label,
    g.counts.frame,
    g.counts.complete,
    g.counts.partial,
    g.counts.refusal,
    g.counts.nonContact,
    g.counts.unknown,
    g.counts.other,
    g.counts.ineligible,
    ...(['simple', 'rr1', 'rr2', 'rr3', 'rr4', 'rr5', 'rr6'] as const).map((r) => pct(g.rates[r], d)),
  ];
  const rows = result.groups.map((g) => line(g, by.map((b) => g.group[b] ?? '(不明)')));
  rows.push(line(result.overall, by.length ? ['全体', ...by.slice(1).map(() => '')] : ['全体']));
  return {
    name: '回収率',
    title: '回収率 (response rates)',
    header: [
      ...(by.length ? by : ['']),
      '対象数 (frame)', '回答完了 (complete)', '途中まで (partial)', '拒否 (refused)', '不在・連絡不能 (non-contact)', '不明 (unknown)', 'その他 (other)', '対象外 (ineligible)',
      '回収率 (simple)', 'RR1', 'RR2', 'RR3', 'RR4', 'RR5', 'RR6',
    ],
    rows,
    notes: [
      `n = ${result.n} 件（名簿の対象数）. n = ${result.n} invited units.`,
      `回収率 = 回答完了 ÷（対象数 − 対象外）. RR1–RR6: AAPOR Standard Definitions; RR3/RR4 count e = ${fmt(result.e)} of the unknowns as eligible.`,
      `四捨五入: ${result.rounding}.`,
      result.method,
      ...result.warnings,
    ],
  };
}

export function codebookSheet(entries: CodebookEntry[]): Sheet {
  const rows: Cell[][] = [];
  for (const e of entries) {
    if (e.categories.length === 0) rows.push([e.name, e.title, e.type, null, null]);
    for (const row of e.rows) rows.push([`${e.name}.${row.code}`, `${e.title} — ${row.label}`, e.type, null, null]);
    for (const c of e.categories) rows.push([e.name, e.title, e.type, c.code, c.label]);
  }
  return { name: 'コードブック', title: 'コードブック (codebook)', header: ['question', 'title', 'type', 'code', 'label'], rows, notes: [] };
}

export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  return Number(x.toFixed(digits)).toString();
}
