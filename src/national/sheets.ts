import { SUPPRESSED_MARK } from '../../analysis/suppress.js';
import { pct, type Cell, type Sheet } from '../results/sheets.js';
import { DECIMALS, type Column, type InstrumentComparison, type NationalLine, type SampleFigures } from './comparison.js';

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
  const head = (first: string): Cell[] => [first, '調査年', 'n', ...cols.map((col) => col.label), '確かさ', '出典'];
  const rows: Cell[][] = [
    ...sampleLines(cols, c.sample, 'この調査', waveName),
    ...c.national.map((line) => nationalCells(cols, line, '全国')),
  ];
  if (c.breakdowns.length) {
    rows.push([], head('属性別（全国で公表された値）'));
    for (const b of c.breakdowns) {
      rows.push(nationalCells(cols, b.national, `全国 ${b.national.group}`));
      if (b.sample) rows.push(...sampleLines(cols, b.sample, `この調査 ${b.national.group}`, waveName));
    }
  }
  const s = c.standardisation;
  if (s.shown) {
    rows.push([], ['性・年齢構成をそろえた比較（直接標準化）', '', 'n', ...cols.map((col) => col.label), '', '全国の表']);
    rows.push(...sampleLines(cols, s.sample, 'この調査（性・年齢が表にある人）', waveName));
    rows.push(['全国（この調査の性・年齢構成に標準化）', '', null, ...cols.map((col) => pctOr(s.national[col.key])), '', s.tableSource]);
    rows.push([], ['性・年齢の層（全国の表）', '全国 n', 'この調査の人数', '構成比 %']);
    for (const st of s.strata) rows.push([st.label, st.nationalN, s.smallStrata ? SUPPRESSED_MARK : st.count, s.smallStrata ? null : pct(st.share, DECIMALS)]);
  }
  return {
    name: SHEET_NAMES[c.instrument],
    title: `${c.title} — 全国調査との比較（この調査 n = ${c.sample.n}、回答完了のみ）`,
    header: head(''),
    rows,
    notes: [
      ...(c.breakdownNote ? [c.breakdownNote] : []),
      s.shown ? `標準化: ${s.method}。性別・年齢が全国の表にない回答者 ${s.excluded} 人は含めていません。` : s.reason,
      ...(s.shown && s.smallStrata ? ['人数が秘匿基準 k 未満の層があるため、この調査の性・年齢構成（人数・構成比）は表示していません。'] : []),
      ...c.notes,
    ],
  };
}

/** Every instrument of the wave, one sheet each: what the page prints and the downloads hold. */
export function comparisonSheets(result: { instruments: InstrumentComparison[] }, waveName: string): Sheet[] {
  return result.instruments.map((c) => comparisonSheet(c, waveName));
}

const pctOr = (value: number | null): Cell => (value === null ? NOT_PUBLISHED : pct(value, DECIMALS));

function nationalCells(cols: Column[], line: NationalLine, label: string): Cell[] {
  return [label, line.waveLabel, line.n ?? NOT_PUBLISHED, ...cols.map((col) => pctOr(line.percents[col.key])), line.confidenceLabel, line.source];
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
