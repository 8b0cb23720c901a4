import { bilingual } from './bilingual.js';
import { percent, ROUNDING_RULE } from './rounding.js';
import type { Category, ResultMeta } from './types.js';

export interface MultiResponseInput {
  options: Category[];
  colCategories: Category[];
  /** Respondents who answered the question (ticked at least one option), per column code: the base. */
  respondentsByCol: Record<string, number>;
  /** Times each option was ticked in each column. */
  selections: { option: string; col: string; count: number }[];
  decimals?: number;
}

export interface MultiResponseRow {
  code: string;
  label: string;
  counts: number[];
  total: number;
  /** % of respondents answering the question; a respondent may tick several options, so these can sum past 100. */
  percentOfRespondents: (number | null)[];
  totalPercentOfRespondents: number | null;
  /** % of all ticks in the column; these sum to 100 (up to rounding). */
  percentOfAnswers: (number | null)[];
  totalPercentOfAnswers: number | null;
}

export interface MultiResponseResult extends ResultMeta {
  /** Respondents who answered, all columns together. */
  n: number;
  cols: Category[];
  /** Respondents per column (the base of % of respondents). */
  bases: number[];
  /** Ticks per column (the base of % of answers). */
  answers: number[];
  totalAnswers: number;
  rows: MultiResponseRow[];
  decimals: number;
  rounding: string;
}

/**
 * Multi-response (checkbox) table options × columns. Options are not mutually exclusive, so no
 * chi-square is offered here: its independence assumption between cells does not hold.
 */
export function multiResponseCrosstab(input: MultiResponseInput): MultiResponseResult {
  const decimals = input.decimals ?? 2;
  const warnings: string[] = [];
  const cols = input.colCategories;
  const colIdx = new Map(cols.map((c, j) => [c.code, j]));
  const optIdx = new Map(input.options.map((o, i) => [o.code, i]));
  const counts = input.options.map(() => cols.map(() => 0));
  for (const s of input.selections) {
    if (!Number.isInteger(s.count) || s.count < 0) throw new RangeError(`multiResponseCrosstab: bad count ${s.count}`);
    const i = optIdx.get(s.option);
    const j = colIdx.get(s.col);
    if (i === undefined || j === undefined) {
      throw new RangeError(`multiResponseCrosstab: selection (${s.option}, ${s.col}) outside the defined options/columns`);
    }
    counts[i][j] += s.count;
  }
  const bases = cols.map((c) => {
    const b = input.respondentsByCol[c.code];
    if (b === undefined) throw new RangeError(`multiResponseCrosstab: no respondent base for column ${c.code}`);
    return b;
  });
  const n = bases.reduce((a, b) => a + b, 0);
  const answers = cols.map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  const totalAnswers = answers.reduce((a, b) => a + b, 0);

  counts.forEach((row, i) => row.forEach((x, j) => {
    if (x > bases[j]) {
      warnings.push(bilingual(
        `「${input.options[i].label}」が${cols[j].label}で ${x} 回選ばれ、回答者数 ${bases[j]} を超えています。基数を確認してください。`,
        `"${input.options[i].label}" ticked ${x} times in ${cols[j].label}, more than its ${bases[j]} respondents: check the base.`,
      ));
    }
  }));
  bases.forEach((b, j) => {
    if (b === 0) {
      warnings.push(bilingual(
        `${cols[j].label}には回答者がいないため、その % は空欄（null）です。`,
        `No respondent answered in ${cols[j].label}: its percentages are null.`,
      ));
    }
  });

  const rows: MultiResponseRow[] = input.options.map((o, i) => {
    const total = counts[i].reduce((a, b) => a + b, 0);
    return {
      code: o.code,
      label: o.label,
      counts: counts[i],
      total,
      percentOfRespondents: counts[i].map((x, j) => percent(x, bases[j], decimals)),
      totalPercentOfRespondents: percent(total, n, decimals),
      percentOfAnswers: counts[i].map((x, j) => percent(x, answers[j], decimals)),
      totalPercentOfAnswers: percent(total, totalAnswers, decimals),
    };
  });

  return {
    n,
    cols,
    bases,
    answers,
    totalAnswers,
    rows,
    decimals,
    rounding: `${ROUNDING_RULE}, ${decimals} decimals`,
    method: bilingual(
      '複数回答の集計（選択肢ごとの選択数、回答者数に対する% と回答総数に対する%。選択肢は排他的でないため関連の検定はなし）。',
      'Multi-response table: counts of ticks per option; % of respondents = ticks / respondents who answered ' +
      'the question in the column (can sum past 100%); % of answers = ticks / all ticks in the column. ' +
      'No test of association (options are not mutually exclusive).',
    ),
    warnings,
  };
}
