/**
 * "Our participants beside the nation": a wave's answers to the direct question or the UCLA 3-item
 * national block, as the national survey tabulates them, beside the national figures. Pure: the answers
 * come in already grouped by sex, age band and category (waveAnswers.ts), the figures from national.json
 * and an organisation's own sex × age table. Percentages are rounded once here, so the page and the
 * downloads print the same numbers.
 */
import { directStandardisation, roundHalfUp, wilsonInterval, WILSON_METHOD, ROUNDING_RULE } from '../../analysis/index.js';
import { CONFIDENCE, NO_ANSWER, type NationalGroup, type NationalReference, type NationalRow } from './reference.js';
import type { ReferenceStratum } from './referenceCsv.js';
import { shownCounts } from './smallCells.js';
import { SUPPRESSED_MARK } from '../../analysis/suppress.js';

/** Respondents with one sex, age band and answer category (NO_ANSWER when the answer or score is missing). */
export type AnswerGroup = { sex: string | null; age: string | null; category: string; count: number };

/** National figures are published to one decimal; the sample's are printed the same way. */
export const DECIMALS = 1;
const round = (x: number) => roundHalfUp(x, DECIMALS);

export type Column = { key: string; label: string };
/** A sample figure with its Wilson 95% interval, in %; null where its count or its base is hidden. */
export type Figure = { count: number; percent: number; lower: number; upper: number };
/** n is "x" where the base itself is hidden; `hidden`: no figure at all (the base is hidden or under k). */
export type SampleFigures = { n: number | string; hidden: boolean; figures: Record<string, Figure | null> };
export type NationalLine = {
  wave: string;
  waveLabel: string;
  group: string;
  n: number | null;
  confidence: NationalRow['confidence'];
  /** ✓ / ◐ / ✗ with its words; ✗ rows always read 「概数（白書の図から再構成）」. */
  confidenceLabel: string;
  percents: Record<string, number | null>;
  source: string;
};

export type Breakdown = { national: NationalLine; sample: SampleFigures | null };

export type Standardisation =
  | {
      shown: true;
      tableSource: string;
      /** "x" (with `excluded` and the sample line) when 1…k−1 respondents are left out. */
      base: number | string;
      /** Respondents without a sex or age band the national table has (left out). */
      excluded: number | string;
      national: Record<string, number | null>;
      sample: SampleFigures;
      strata: { label: string; nationalN: number | null; count: number; share: number }[];
      /** A stratum holds fewer than k respondents, or 1…k−1 are left out: the composition is not printed (it would show them). */
      smallStrata: boolean;
      method: string;
    }
  | { shown: false; reason: string };

export type InstrumentComparison = {
  instrument: NationalReference['instrument'];
  title: string;
  survey: NationalReference['survey'];
  columns: Column[];
  sample: SampleFigures;
  national: NationalLine[];
  breakdowns: Breakdown[];
  /** Why the sample side of the breakdowns is empty, when it is. */
  breakdownNote: string | null;
  standardisation: Standardisation;
  notes: string[];
};

export type ComparisonInput = {
  reference: NationalReference;
  title: string;
  answers: AnswerGroup[];
  /** Which profile questions the questionnaire asks (sex, age band). */
  profile: { sex: boolean; age: boolean };
  /** The organisation's loaded sex × age table for this instrument, if any. */
  strataTable: { source: string; strata: ReferenceStratum[] } | null;
  /** Shared outputs show no percentage for a base below k. */
  k: number;
};

const SEX_LABEL: Record<string, string> = { male: '男性', female: '女性' };
const AGE_LABEL: Record<string, string> = {
  '16_19': '16〜19歳', '20_29': '20代', '30_39': '30代', '40_49': '40代', '50_59': '50代',
  '60_64': '60〜64歳', '65_69': '65〜69歳', '70_74': '70〜74歳', '75_79': '75〜79歳', '80_plus': '80歳以上',
};
const AGES_LABEL: Record<string, string> = { '60_64,65_69': '60代', '70_74,75_79': '70代' };

export function groupLabel(group: NationalGroup | undefined): string {
  if (!group) return '全体';
  const ages = group.ages ? (AGES_LABEL[group.ages.join()] ?? group.ages.map((a) => AGE_LABEL[a]).join('・')) : '';
  return `${group.sex ? SEX_LABEL[group.sex] : ''}${ages}` || '全体';
}

export function confidenceLabel(confidence: NationalRow['confidence']): string {
  const c = CONFIDENCE[confidence];
  return `${c.mark} ${c.ja}`;
}

/** Every column a national table prints: the categories (most lonely first), 無回答, then published sums. */
export function columnsOf(reference: NationalReference): Column[] {
  return [
    ...reference.categories.map((c) => ({ key: c.key, label: c.label.ja })),
    { key: NO_ANSWER, label: '無回答' },
    ...reference.totals.map((t) => ({ key: t.key, label: t.label.ja })),
  ];
}

const respondentsOf = (answers: AnswerGroup[]) => answers.reduce((a, g) => a + g.count, 0);

/**
 * Counts, % of all respondents (無回答 included, as the national tables) and Wilson intervals, with small
 * cells hidden as in the cross-tabs (shownCounts): a hidden count shows neither its % nor its interval,
 * and a hidden base none of the line's figures (each would give it back).
 */
export function sampleFigures(reference: NationalReference, answers: AnswerGroup[], k: number, keys?: string[]): SampleFigures {
  const n = respondentsOf(answers);
  const countOf = (members: string[]) => respondentsOf(answers.filter((g) => members.includes(g.category)));
  const categories = [...reference.categories.map((c) => c.key), NO_ANSWER];
  const shown = shownCounts(categories, reference.totals, Object.fromEntries(categories.map((c) => [c, countOf([c])])), k);
  const hidden = n < k || !shown.n;
  const figures: Record<string, Figure | null> = {};
  for (const column of columnsOf(reference)) {
    if (keys && !keys.includes(column.key)) continue;
    const count = countOf(reference.totals.find((t) => t.key === column.key)?.of ?? [column.key]);
    const ci = wilsonInterval(count, n);
    figures[column.key] = hidden || !shown.keys.has(column.key) || !ci ? null : { count, percent: round((count / n) * 100), lower: round(ci.lower * 100), upper: round(ci.upper * 100) };
  }
  return { n: shown.n ? n : SUPPRESSED_MARK, hidden, figures };
}

function nationalLine(reference: NationalReference, row: NationalRow): NationalLine {
  const wave = reference.waves.find((w) => w.id === row.wave)!;
  return {
    wave: row.wave,
    waveLabel: wave.label,
    group: groupLabel(row.group),
    n: row.n ?? null,
    confidence: row.confidence,
    confidenceLabel: confidenceLabel(row.confidence),
    percents: Object.fromEntries(columnsOf(reference).map((c) => [c.key, row.percents[c.key] ?? null])),
    source: row.source,
  };
}

const inGroup = (group: NationalGroup) => (a: AnswerGroup) =>
  (!group.sex || a.sex === group.sex) && (!group.ages || (a.age !== null && (group.ages as string[]).includes(a.age)));

export function instrumentComparison(input: ComparisonInput): InstrumentComparison {
  const { reference, answers, profile, k } = input;
  const national = reference.rows.filter((r) => !r.group).map((r) => nationalLine(reference, r));
  const needs = (g: NationalGroup) => (!g.sex || profile.sex) && (!g.ages || profile.age);
  const breakdowns = reference.rows
    .filter((r) => r.group)
    .map((r) => ({
      national: nationalLine(reference, r),
      sample: needs(r.group!) ? sampleFigures(reference, answers.filter(inGroup(r.group!)), k, Object.keys(r.percents)) : null,
    }));
  const sample = sampleFigures(reference, answers, k);
  return {
    instrument: reference.instrument,
    title: input.title,
    survey: reference.survey,
    columns: columnsOf(reference),
    sample,
    national,
    breakdowns,
    breakdownNote:
      profile.sex && profile.age
        ? null
        : '質問票に性別・年齢（「回答者の属性」ブロックの質問）がないため、属性別の全国値にはこの調査の値を並べていません。',
    standardisation: standardise(input),
    notes: caveats(input),
  };
}

/** The national distribution put on the sample's sex × age mix, beside the sample's own (same respondents). */
function standardise({ reference, answers, profile, strataTable, k }: ComparisonInput): Standardisation {
  if (!profile.sex || !profile.age) {
    return { shown: false, reason: '質問票に性別と年齢（「回答者の属性」ブロックの質問）の両方がないため、性・年齢構成をそろえた比較（標準化）は表示していません。' };
  }
  if (!strataTable) {
    return {
      shown: false,
      reason: '全国調査の性別 × 年齢の表（e-Stat の統計表）が読み込まれていないため、性・年齢構成をそろえた比較（標準化）は表示していません。「全国調査の参照表」のページで CSV を読み込むと表示されます。',
    };
  }
  const strata = strataTable.strata;
  const stratumOf = (a: AnswerGroup) => strata.findIndex((s) => s.sex === a.sex && a.age !== null && (s.ages as string[]).includes(a.age));
  const matched = answers.filter((a) => stratumOf(a) >= 0);
  const keys = [...reference.categories.map((c) => c.key), NO_ANSWER];
  const counts = new Map<number, number>();
  for (const a of matched) counts.set(stratumOf(a), (counts.get(stratumOf(a)) ?? 0) + a.count);
  const result = directStandardisation(
    keys,
    strata.map((s, i) => ({ stratum: String(i), percents: s.percents })),
    [...counts].map(([i, count]) => ({ stratum: String(i), count })),
  );
  const own = sampleFigures(reference, matched, k);
  const excluded = respondentsOf(answers) - result.base;
  // This line beside the whole sample's would give away the answers of the few left out.
  const fewLeftOut = excluded > 0 && excluded < k;
  const standardised = (key: string): number | null => {
    const members = reference.totals.find((t) => t.key === key)?.of ?? [key];
    if (result.base < k || members.some((m) => result.percents[m] === undefined)) return null;
    return round(members.reduce((a, m) => a + result.percents[m], 0));
  };
  return {
    shown: true,
    tableSource: strataTable.source,
    base: fewLeftOut ? SUPPRESSED_MARK : result.base,
    excluded: fewLeftOut ? SUPPRESSED_MARK : excluded,
    national: Object.fromEntries(columnsOf(reference).map((c) => [c.key, standardised(c.key)])),
    sample: fewLeftOut ? { n: SUPPRESSED_MARK, hidden: true, figures: Object.fromEntries(Object.keys(own.figures).map((key) => [key, null])) } : own,
    strata: strata.map((s, i) => ({ label: s.label, nationalN: s.n, count: result.weights[i].count, share: round(result.weights[i].share * 100) })),
    smallStrata: fewLeftOut || result.weights.some((w) => w.count > 0 && w.count < k),
    method: result.method,
  };
}

function caveats({ reference, k, answers }: ComparisonInput): string[] {
  const n = respondentsOf(answers);
  const notes = [
    `全国値: ${reference.survey.title}（${reference.survey.organiser}）。表の各行に調査年・出典・確かさを示します。`,
    `回答方法の違い: 全国調査は${reference.survey.mode}した結果です。この調査とは回答方法や時期が異なり、答え方が変わることがあります。`,
    `対象の違い: 全国調査は${reference.survey.sample}が対象の無作為標本です。事業の参加者は無作為に選ばれた人ではないため、全国との差は事業の効果や地域の実態をそのまま示すものではありません。`,
    `% は回答者数（n、無回答を含む）に対する割合で、小数第1位に四捨五入しています（${ROUNDING_RULE}）。全国値は公表された値です。`,
    `「95%信頼区間」はこの調査の割合の95%信頼区間です（${WILSON_METHOD}）。全国値の誤差は示していません。`,
    `確かさ: ✓ ${CONFIDENCE.confirmed.ja}、◐ ${CONFIDENCE.single.ja}、✗ ${CONFIDENCE.reconstructed.ja}。✗ の値は公式の表ではなく、概数として見てください。「—」は公表されていない値です。`,
    `個人が特定されないよう、クロス集計と同じ基準で小さい数を隠しています（団体の秘匿基準 k = ${k}）: 1〜${k - 1} 人の件数と回答者数は「${SUPPRESSED_MARK}」とし、その割合と信頼区間は示しません。隠した数が回答者数や「計」から計算で分からないよう、ほかの件数も隠すことがあります（二次秘匿）。`,
    ...reference.notes,
  ];
  if (n >= k && n < 30) {
    notes.push(`回答者が ${n} 人と少ないため、割合は大きくぶれます。信頼区間の幅を見て、全国との差を読みすぎないでください。`);
  }
  return notes;
}
