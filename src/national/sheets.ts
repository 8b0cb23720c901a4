import { SUPPRESSED_MARK } from '../../analysis/suppress.js';
import { pct, type Cell, type Sheet } from '../results/sheets.js';
import { DECIMALS, type Breakdown, type Column, type InstrumentComparison, type NationalLine, type SampleFigures } from './comparison.js';

/** A figure the national survey did not publish. */
export const NOT_PUBLISHED = '—';

const SHEET_NAMES: Record<InstrumentComparison['instrument'], string> = { 'loneliness-direct': '全国比較 直接質問', 'ucla3-national': '全国比較 UCLA3項目' };

/**
 * One sheet per instrument, the same on the page (SheetTable) and in CSV and XLSX: the sample's %, its
 * 95% interval and counts beside every national row with year, n, confidence and source; then the
 * breakdowns the national survey published; then the standardised comparison when there is one.
 */
export function comparisonSheet(c: InstrumentComparison, waveName: string): Sheet {
  const cols = c.columns;
  // Sources are long: the table names each by number and the notes under it spell them out.
  const sources: string[] = [];
  const cite = (source: string) => {
    if (!sources.includes(source)) sources.push(source);
    return `出典${sources.indexOf(source) + 1}`;
  };
  const head = (first: string): Cell[] => [first, '調査年', 'n', ...cols.map((col) => col.label), '確かさ', '出典'];
  const rows: Cell[][] = [
    ...sampleLines(cols, c.sample, 'この調査', waveName),
    ...c.national.map((line) => nationalCells(cols, line, '全国', cite)),
  ];
  if (c.breakdowns.length) {
    rows.push([], ['属性別（全国で公表された値）', '回答', '調査年', '全国', 'この調査 n', 'この調査', '95%信頼区間', '件数', '確かさ', '出典']);
    for (const b of c.breakdowns) rows.push(...breakdownLines(cols, b, cite));
  }
  const s = c.standardisation;
  if (s.shown) {
    rows.push([], ['性・年齢構成をそろえた比較（直接標準化）', '', 'n', ...cols.map((col) => col.label), '', '出典']);
    rows.push(...sampleLines(cols, s.sample, 'この調査（性・年齢が表にある人）', waveName));
    rows.push(['全国（この調査の性・年齢構成に標準化）', '', null, ...cols.map((col) => pctOr(s.national[col.key])), '', cite(`この団体が読み込んだ全国の表: ${s.tableSource}`)]);
    rows.push([], ['性・年齢の層（全国の表）', '全国 n', 'この調査の人数', '構成比 %']);
    for (const st of s.strata) rows.push([st.label, st.nationalN, s.smallStrata ? SUPPRESSED_MARK : st.count, s.smallStrata ? null : pct(st.share, DECIMALS)]);
  }
  return {
    name: SHEET_NAMES[c.instrument],
    title: `${c.title} — 全国調査との比較（この調査 n = ${c.sample.n}、回答完了のみ）`,
    header: head(''),
    rows,
    notes: [
      ...sources.map((source, i) => `出典${i + 1}: ${source}`),
      ...(c.breakdownNote ? [c.breakdownNote] : []),
      s.shown
        ? `標準化した全国値: 全国の性・年齢別の割合を、この調査の回答者の性・年齢構成（各層の人数の割合）で重み付けして足し合わせた値です。性別・年齢が全国の表にない回答者 ${s.excluded} 人は含めていません。（${s.method}）`
        : s.reason,
      ...(s.shown && s.smallStrata ? ['人数が秘匿基準 k 未満の層があるか、全国の表にない回答者が k 人未満のため、この調査の性・年齢構成（人数・構成比）は表示していません。'] : []),
      ...c.notes,
    ],
  };
}

/** Every instrument of the wave, one sheet each: what the page prints and the downloads hold. */
export function comparisonSheets(result: { instruments: InstrumentComparison[] }, waveName: string): Sheet[] {
  return result.instruments.map((c) => comparisonSheet(c, waveName));
}

/** One line per figure the national survey published for the group, the wave's same subgroup beside it. */
function breakdownLines(cols: Column[], { national, sample }: Breakdown, cite: (source: string) => string): Cell[][] {
  return cols
    .filter((col) => national.percents[col.key] !== null)
    .map((col) => {
      const f = sample?.figures[col.key];
      const mine: Cell[] = !sample
        ? [null, null, null, null]
        : f
          ? [sample.n, pct(f.percent, DECIMALS), `${f.lower.toFixed(DECIMALS)}〜${f.upper.toFixed(DECIMALS)}`, f.count]
          : [sample.n, SUPPRESSED_MARK, SUPPRESSED_MARK, SUPPRESSED_MARK];
      return [national.group, col.label, national.waveLabel, pctOr(national.percents[col.key]), ...mine, national.confidenceLabel, cite(national.source)];
    });
}

const pctOr = (value: number | null): Cell => (value === null ? NOT_PUBLISHED : pct(value, DECIMALS));

function nationalCells(cols: Column[], line: NationalLine, label: string, cite: (source: string) => string): Cell[] {
  return [label, line.waveLabel, line.n ?? NOT_PUBLISHED, ...cols.map((col) => pctOr(line.percents[col.key])), line.confidenceLabel, cite(line.source)];
}

/** The sample's %, then its Wilson interval, then its counts; only the columns it has figures for. */
function sampleLines(cols: Column[], s: SampleFigures, label: string, waveName: string): Cell[][] {
  const cell = (col: Column, what: (f: NonNullable<SampleFigures['figures'][string]>) => Cell): Cell => {
    if (!(col.key in s.figures)) return null;
    const f = s.figures[col.key];
    return f ? what(f) : SUPPRESSED_MARK;
  };
  return [
    [label, waveName, s.n, ...cols.map((col) => cell(col, (f) => pct(f.percent, DECIMALS)))],
    [`${label} 95%信頼区間`, '', null, ...cols.map((col) => cell(col, (f) => `${f.lower.toFixed(DECIMALS)}〜${f.upper.toFixed(DECIMALS)}`))],
    [`${label} 件数`, '', null, ...cols.map((col) => cell(col, (f) => f.count))],
  ];
}
