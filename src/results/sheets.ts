import type { ResponseRateResult } from '../../analysis/index.js';
import type { CodebookEntry } from '../questionnaires/codebook.js';
import type { CrosstabOutcome } from './crosstabQuery.js';

export type Cell = string | number | null;

/** A table ready for CSV or a spreadsheet sheet: the same content in both downloads. */
export type Sheet = { name: string; title: string; header: Cell[]; rows: Cell[][]; notes: string[] };

const pct = (x: number | null) => (x === null ? null : x);

/** Counts, then row % and column %, each with totals; notes carry n, base, method, test and warnings. */
export function crosstabSheet(outcome: CrosstabOutcome, rowTitle: string, colTitle: string): Sheet {
  if (outcome.kind === 'multiple') {
    const t = outcome.table;
    const cols = t.cols.map((c) => c.label);
    const rows: Cell[][] = [];
    rows.push(['回答者数 (base: respondents)', ...t.bases, t.n]);
    for (const r of t.rows) rows.push([r.label, ...r.counts, r.total]);
    rows.push([]);
    rows.push(['回答者に対する% (% of respondents)', ...cols, '全体']);
    for (const r of t.rows) rows.push([r.label, ...r.percentOfRespondents.map(pct), pct(r.totalPercentOfRespondents)]);
    rows.push([]);
    rows.push(['回答数に対する% (% of answers)', ...cols, '全体']);
    for (const r of t.rows) rows.push([r.label, ...r.percentOfAnswers.map(pct), pct(r.totalPercentOfAnswers)]);
    rows.push(['回答数 (answers)', ...t.answers, t.totalAnswers]);
    return {
      name: 'crosstab',
      title: `${rowTitle} × ${colTitle}（複数回答）`,
      header: [`${rowTitle} \\ ${colTitle}`, ...cols, '全体'],
      rows,
      notes: [`n = ${t.n} respondents who answered the question (the base of % of respondents).`, `Rounding: ${t.rounding}.`, t.method, ...t.warnings],
    };
  }
  const t = outcome.table;
  const shown = outcome.suppressed;
  const cols = t.cols.map((c) => c.label);
  const counts = shown ? shown.counts : t.counts;
  const rowTotals = shown ? shown.rowTotals : t.rowTotals;
  const colTotals = shown ? shown.colTotals : t.colTotals;
  const rowPercent = shown ? shown.rowPercent : t.rowPercent;
  const colPercent = shown ? shown.colPercent : t.colPercent;
  const letters = t.columnComparison?.cells;
  const rows: Cell[][] = t.rows.map((r, i) => [r.label, ...counts[i], rowTotals[i]]);
  rows.push(['合計', ...colTotals, shown ? shown.grandTotal : t.grandTotal]);
  rows.push([]);
  rows.push(['行% (row %)', ...cols, '合計']);
  t.rows.forEach((r, i) => rows.push([r.label, ...rowPercent[i].map(pct), t.rowTotals[i] > 0 ? 100 : null]));
  rows.push([]);
  rows.push(['列% (column %)', ...cols, '全体']);
  t.rows.forEach((r, i) =>
    rows.push([r.label, ...colPercent[i].map((p, j) => (letters?.[i]?.[j] ? `${p ?? ''} ${letters[i][j]}` : pct(p))), pct(t.rowTotalPercent[i])]),
  );
  const chi = t.association.chiSquare;
  const notes = [
    `n = ${t.n} (base: responses counted in the table, no-answer lines included).`,
    `Rounding: ${t.rounding}.`,
    `Chi-square = ${fmt(chi.chi2)}, df = ${chi.df}, p = ${fmt(chi.p)}, Cramér's V = ${fmt(chi.cramersV)} (${chi.method}).`,
  ];
  if (t.association.fisher) notes.push(`Fisher's exact test: p = ${fmt(t.association.fisher.p)} (${t.association.fisher.method}).`);
  if (t.columnComparison) {
    notes.push(`Column letters: ${t.columnComparison.letters.filter(Boolean).join(', ')} — a letter marks a column whose proportion is significantly lower (${t.columnComparison.method}).`);
  }
  if (shown) notes.push(`Small cells: counts below ${shown.k} shown as "<${shown.k}", secondary suppression as "x" (${shown.method}).`, ...shown.warnings);
  notes.push(t.method, ...chi.warnings, ...t.warnings);
  return { name: 'crosstab', title: `${rowTitle} × ${colTitle}`, header: [`${rowTitle} \\ ${colTitle}`, ...cols, '合計'], rows, notes };
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
