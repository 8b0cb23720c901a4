import { formatPValue, type CrosstabResult, type ResponseRateResult, type SuppressedCrosstab } from '../../analysis/index.js';
import { SUPPRESSED_MARK } from '../../analysis/suppress.js';
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

/** Counts, then percentages, with totals; notes carry n, base, method, test and warnings. */
export function crosstabSheet(outcome: CrosstabOutcome, rowTitle: string, colTitle: string, percentBase: PercentBase = 'row'): Sheet {
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
        ...(whole(t.n) === null ? [] : [`n = ${t.n}（この質問に答えた回答者。回答者に対する% の分母）。`]),
        `% の四捨五入: ${t.rounding}。`,
        ...(s ? [`秘匿: ${s.k} 未満のセルと、それを計算で復元できる合計を「${SUPPRESSED_MARK}」で示し、その % は表示しません。`, s.method, ...s.warnings] : []),
        t.method,
        ...t.warnings,
      ],
    };
  }
  return singleCrosstabSheet(outcome.table, outcome.suppressed, rowTitle, colTitle, percentBase);
}

/** Which percentage a cross-tab shows: of its row (Japanese 属性別 layout), of its column, or of the whole. */
export type PercentBase = 'row' | 'col' | 'total';
export const PERCENT_BASES: Record<PercentBase, string> = { row: '行%（横に100%）', col: '列%（縦に100%）', total: '全体%' };

/**
 * Counts, then the chosen percentages, for the full table or its suppressed version alike (the same
 * cells on the page and in both downloads). Column letters sit beside the column %, the figures they
 * compare. A one-way table (no column variable) is a frequency table: no test of association.
 */
function singleCrosstabSheet(t: CrosstabResult, s: SuppressedCrosstab | null, rowTitle: string, colTitle: string, base: PercentBase): Sheet {
  const oneWay = t.cols.length === 1 && t.cols[0].code === 'all';
  const d = t.decimals;
  const counts = s ? s.counts : t.counts;
  const rowTotals = s ? s.rowTotals : t.rowTotals;
  const colTotals = s ? s.colTotals : t.colTotals;
  const cols = oneWay ? ['件数'] : t.cols.map((c, j) => (t.columnComparison?.letters[j] ? `${c.label} (${t.columnComparison.letters[j]})` : c.label));
  const rows: Cell[][] = t.rows.map((r, i) => (oneWay ? [r.label, counts[i][0]] : [r.label, ...counts[i], rowTotals[i]]));
  rows.push(oneWay ? ['合計', s ? s.grandTotal : t.grandTotal] : ['合計', ...colTotals, s ? s.grandTotal : t.grandTotal]);
  rows.push([]);
  const shownBase: PercentBase = oneWay ? 'col' : base;
  const percents = { row: s ? s.rowPercent : t.rowPercent, col: s ? s.colPercent : t.colPercent, total: s ? s.totalPercent : t.totalPercent }[shownBase];
  const letters = shownBase === 'col' && !s ? t.columnComparison?.cells : undefined;
  if (oneWay) {
    rows.push(['%', '%']);
    t.rows.forEach((r, i) => rows.push([r.label, pct(percents[i][0], d)]));
  } else {
    rows.push([PERCENT_BASES[shownBase], ...cols, shownBase === 'row' ? '合計' : '全体']);
    const margin = (i: number) =>
      shownBase === 'row' ? pct(typeof rowTotals[i] === 'number' && Number(rowTotals[i]) > 0 ? 100 : null, d) : pct((s ? s.rowTotalPercent : t.rowTotalPercent)[i], d);
    t.rows.forEach((r, i) => rows.push([r.label, ...percents[i].map((p, j) => pct(p, d, letters?.[i]?.[j] || undefined)), margin(i)]));
    if (shownBase === 'col') rows.push(['合計', ...(s ? s.colTotalPercent : t.colTotalPercent).map((p) => pct(p, d)), pct(100, d)]);
  }
  const notes = [
    `n = ${s ? s.n : t.n}（${t.rows.some((r) => r.noAnswer) || t.cols.some((c) => c.noAnswer) ? '無回答を含む' : '表に入った回答'}）。`,
    `% の四捨五入: ${t.rounding}。`,
  ];
  if (!oneWay) notes.push(...associationNotes(t, s));
  if (s) {
    notes.push(
      `秘匿: ${s.k} 未満のセルと、それを計算で復元できるセルを「${SUPPRESSED_MARK}」で示し、その % は表示しません（${s.primaryCount} 個が小さいセル、${s.secondaryCount} 個が保護のための二次秘匿）。`,
      s.method,
      ...s.warnings,
    );
  }
  notes.push(...t.warnings);
  return {
    name: 'クロス集計',
    title: oneWay ? `${rowTitle}（単純集計）` : `${rowTitle} × ${colTitle}`,
    header: oneWay ? [rowTitle, '件数'] : [`${rowTitle} \\ ${colTitle}`, ...cols, '合計'],
    rows,
    notes,
  };
}

/**
 * The test of association and the column letters, named in Japanese with p as reports print it. A
 * suppressed table leaves them out: with the margins they could give hidden cells back.
 */
function associationNotes(t: CrosstabResult, s: SuppressedCrosstab | null): string[] {
  if (s) return ['秘匿した表のため、検定と列比較の記号は載せていません。'];
  const chi = t.association.chiSquare;
  const notes = [
    `χ²検定（ピアソン${chi.yates ? '、イェーツの補正あり' : ''}）: χ² = ${fmt(chi.chi2)}、自由度 ${chi.df}、${formatPValue(chi.p)}、クラメールの V = ${fmt(chi.cramersV)}。 ${chi.method}`,
  ];
  if (t.association.fisher) notes.push(`フィッシャーの正確確率検定（両側）: ${formatPValue(t.association.fisher.p)}。 ${t.association.fisher.method}`);
  if (t.columnComparison) {
    notes.push(
      `列比較: 列%の横の記号は、その列より割合が有意に低い列を示します（列の記号は見出しの括弧内）。 ${t.columnComparison.method}`,
      ...t.columnComparison.warnings,
    );
  }
  notes.push(...chi.warnings);
  return notes;
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
