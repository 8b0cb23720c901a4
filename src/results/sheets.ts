import type { CrosstabResult, ResponseRateResult, SuppressedCrosstab } from '../../analysis/index.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import type { CrosstabOutcome } from './crosstabQuery.js';

export type Cell = string | number | null;

/** A table ready for CSV or a spreadsheet sheet: the same content in both downloads. */
export type Sheet = { name: string; title: string; header: Cell[]; rows: Cell[][]; notes: string[] };

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
      name: 'crosstab',
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
  t.rows.forEach((r, i) => rows.push([r.label, ...t.rowPercent[i], t.rowTotals[i] > 0 ? 100 : null]));
  rows.push([]);
  rows.push(['列% (column %)', ...cols, '全体']);
  t.rows.forEach((r, i) =>
    rows.push([r.label, ...t.colPercent[i].map((p, j) => (letters?.[i]?.[j] ? `${p ?? ''} ${letters[i][j]}` : p)), t.rowTotalPercent[i]]),
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
  return { name: 'crosstab', title: `${rowTitle} × ${colTitle}`, header: [`${rowTitle} \\ ${colTitle}`, ...cols, '合計'], rows, notes };
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
  t.rows.forEach((r, i) => rows.push([r.label, ...shown.rowPercent[i]]));
  rows.push([]);
  rows.push(['列% (column %)', ...cols, '全体']);
  t.rows.forEach((r, i) => rows.push([r.label, ...shown.colPercent[i], shown.rowTotalPercent[i]]));
  return {
    name: 'crosstab',
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

export function ratesSheet(result: ResponseRateResult): Sheet {
  const by = result.by;
  const line = (g: ResponseRateResult['overall'], label: Cell[]): Cell[] => [
    ...label,
    g.counts.frame,
    g.counts.complete,
    g.counts.partial,
    g.counts.ineligible,
    g.rates.simple,
    g.rates.rr1,
    g.rates.rr2,
    g.rates.rr3,
    g.rates.rr4,
    g.rates.rr5,
    g.rates.rr6,
  ];
  const rows = result.groups.map((g) => line(g, by.map((b) => g.group[b] ?? '(不明)')));
  rows.push(line(result.overall, by.length ? ['全体', ...by.slice(1).map(() => '')] : ['全体']));
  return {
    name: 'response rates',
    title: '回収率 (response rates)',
    header: [...(by.length ? by : ['']), '対象数 (frame)', '回答 (complete)', '一部回答 (partial)', '対象外 (ineligible)', '回収率% (simple)', 'RR1', 'RR2', 'RR3', 'RR4', 'RR5', 'RR6'],
    rows,
    notes: [`n = ${result.n} invited units.`, `Rounding: ${result.rounding}.`, `e (eligible share of unknowns) = ${fmt(result.e)}.`, result.method, ...result.warnings],
  };
}

export function codebookSheet(entries: CodebookEntry[]): Sheet {
  const rows: Cell[][] = [];
  for (const e of entries) {
    if (e.categories.length === 0) rows.push([e.name, e.title, e.type, null, null]);
    for (const row of e.rows) rows.push([`${e.name}.${row.code}`, `${e.title} — ${row.label}`, e.type, null, null]);
    for (const c of e.categories) rows.push([e.name, e.title, e.type, c.code, c.label]);
  }
  return { name: 'codebook', title: 'コードブック (codebook)', header: ['question', 'title', 'type', 'code', 'label'], rows, notes: [] };
}

export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  return Number(x.toFixed(digits)).toString();
}
